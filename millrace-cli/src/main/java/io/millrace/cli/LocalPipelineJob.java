package io.millrace.cli;

import io.millrace.config.PipelineConfig;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Starts a pipeline's job on the in-process Flink cluster, the same way for {@code run}, {@code demo} and tests. */
final class LocalPipelineJob {

    private LocalPipelineJob() {}

    static LocalFlink.LocalJob start(Pipeline pipeline, PipelineConfig config, int webPort, boolean fresh, PrintWriter out)
            throws Exception {
        TopicAdmin.ensure(config.kafka(), pipeline.topics(config));
        URI dir = URI.create(config.checkpointDir());
        if (!"file".equals(dir.getScheme())) {
            throw new UserError("a local run keeps checkpoints on this machine: checkpoint.dir must be a file: URI, got "
                    + config.checkpointDir());
        }
        CheckpointStore store = new CheckpointStore(Path.of(dir));
        if (fresh && pipeline.usesPostgres()) {
            resetProgress((io.millrace.config.MarketConfig) config);
        }
        LocalFlink.LocalJob job;
        try {
            job = LocalFlink.start(pipeline.jobName(), config.parallelism(), webPort, store, fresh,
                    env -> pipeline.attach(env, config));
        } catch (Exception e) {
            String incompatible = incompatibleCheckpoint(e);
            if (incompatible != null) {
                throw new UserError("the retained checkpoint under " + store.root() + " does not fit this version of the "
                        + pipeline.name() + " job: " + incompatible + ". Start over with 'run " + pipeline.name()
                        + " --fresh', or with './millrace reset " + pipeline.name() + "' to also clear its topics.");
            }
            throw e;
        }
        out.println(pipeline.name() + " pipeline running (job " + job.client().getJobID() + ", parallelism "
                + config.parallelism() + ")");
        out.println("  Flink web UI  " + job.webUrl());
        out.println("  reads         " + String.join(", ", config.inputTopics()) + " (group " + config.groupId() + ")");
        out.println("  writes        " + pipeline.describeOutputs(config));
        out.println("  checkpoints   every " + config.checkpointInterval().toSeconds() + " s under " + store.root());
        if (job.restoredFrom().isPresent()) {
            CheckpointStore.Checkpoint c = job.restoredFrom().get();
            out.println("  resumed from  chk-" + c.id() + " (" + Instant.ofEpochMilli(c.completedAt()) + ")");
        } else if (fresh) {
            out.println("  started fresh: no state, reading the input topics from the beginning");
        } else {
            out.println("  no checkpoint yet: starting from the group's committed offsets (the beginning if none)");
        }
        out.flush();
        return job;
    }

    /** Flink's reason when a checkpoint's state cannot be mapped onto the job as it is now, or null. */
    static String incompatibleCheckpoint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IllegalStateException && message != null
                    && message.startsWith("Failed to rollback to checkpoint/savepoint")) {
                int reason = message.indexOf(". ");
                String why = reason < 0 ? message : message.substring(reason + 2);
                int advice = why.indexOf(". This indicates");
                return advice < 0 ? why : why.substring(0, advice);
            }
        }
        return null;
    }

    /** A fresh run recomputes everything; its watermark must not inherit the old run's "final up to". */
    private static void resetProgress(io.millrace.config.MarketConfig config) throws SQLException {
        try (Connection db = config.postgres().open()) {
            db.setAutoCommit(true);
            try (PreparedStatement st = db.prepareStatement("DELETE FROM millrace_progress WHERE pipeline = ?")) {
                st.setString(1, config.pipeline());
                st.executeUpdate();
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }
}
