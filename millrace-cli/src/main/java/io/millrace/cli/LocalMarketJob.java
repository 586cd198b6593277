package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.job.JobSetup;
import io.millrace.job.MarketJob;
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

/** Starts the market job on the in-process Flink cluster, the same way for {@code run} and {@code demo}. */
final class LocalMarketJob {

    private LocalMarketJob() {}

    static LocalFlink.LocalJob start(MarketConfig config, int webPort, boolean fresh, PrintWriter out) throws Exception {
        TopicAdmin.ensure(config.kafka(), MarketJob.topics(config));
        URI dir = URI.create(config.checkpointDir());
        if (!"file".equals(dir.getScheme())) {
            throw new UserError("a local run keeps checkpoints on this machine: checkpoint.dir must be a file: URI, got "
                    + config.checkpointDir());
        }
        CheckpointStore store = new CheckpointStore(Path.of(dir));
        if (fresh) {
            resetProgress(config);
        }
        LocalFlink.LocalJob job = LocalFlink.start(MarketJob.NAME, config.parallelism(), webPort, store, fresh, env -> {
            JobSetup.configure(env, config.parallelism(), config.checkpointInterval(), config.checkpointDir(), config.stateBackend());
            MarketJob.attach(env, config);
        });
        out.println("market pipeline running (job " + job.client().getJobID() + ", parallelism " + config.parallelism() + ")");
        out.println("  Flink web UI  " + job.webUrl());
        out.println("  reads         " + config.tradesTopic() + ", " + config.infoTopic() + " (group " + config.groupId() + ")");
        out.println("  writes        PostgreSQL enriched_trades, sector_metrics, late_trades; Kafka " + config.dlqTopic()
                + (config.kafkaOutput() ? ", " + config.enrichedTopic() + ", " + config.metricsTopic() : ""));
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

    /** A fresh run recomputes everything; its watermark must not inherit the old run's "final up to". */
    private static void resetProgress(MarketConfig config) throws SQLException {
        try (Connection db = config.postgres().open()) {
            db.setAutoCommit(true);
            try (PreparedStatement st = db.prepareStatement(
                    "DELETE FROM millrace_progress WHERE pipeline = ? AND to_regclass('millrace_progress') IS NOT NULL")) {
                st.setString(1, MarketConfig.PIPELINE);
                st.executeUpdate();
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }
}
