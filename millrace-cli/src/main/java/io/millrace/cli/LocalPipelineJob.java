package io.millrace.cli;

import io.millrace.config.PipelineConfig;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.SourceSpec;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.web.DashboardServer;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Starts a pipeline's jobs on one in-process Flink cluster, the same way for {@code run}, {@code demo} and tests. */
public final class LocalPipelineJob {

    private LocalPipelineJob() {}

    public static LocalFlink.LocalJob start(Pipeline pipeline, int webPort, boolean fresh, PrintWriter out)
            throws Exception {
        return start(pipeline, webPort, fresh, out, null);
    }

    /** Starts the job and, if {@code dashboard} is given, shows it there (its address printed under the web UI's). */
    public static LocalFlink.LocalJob start(Pipeline pipeline, int webPort, boolean fresh, PrintWriter out,
            DashboardServer dashboard) throws Exception {
        PipelineConfig config = pipeline.config();
        TopicAdmin.ensure(config.kafka(), pipeline.topics());
        URI dir = URI.create(config.checkpointDir());
        if (!"file".equals(dir.getScheme())) {
            throw new UserError("a local run keeps checkpoints on this machine: checkpoint.dir must be a file: URI, got "
                    + config.checkpointDir());
        }
        List<PipelineJob> jobs = pipeline.jobs();
        Path root = Path.of(dir);
        List<LocalFlink.JobSpec> specs = new ArrayList<>();
        for (PipelineJob j : jobs) {
            CheckpointStore store = new CheckpointStore(j.checkpointSubdir().isEmpty() ? root : root.resolve(j.checkpointSubdir()));
            specs.add(new LocalFlink.JobSpec(j.name(), store, j::attach));
        }
        if (fresh && pipeline.finality() instanceof Finality.Stored stored) {
            // A fresh run recomputes everything; its results must not inherit the old run's "final up to".
            stored.reset();
        }
        LocalFlink.LocalJob job;
        try {
            job = LocalFlink.start(specs, config.parallelism(), webPort, fresh);
        } catch (Exception e) {
            String incompatible = incompatibleCheckpoint(e);
            if (incompatible != null) {
                throw new UserError("the retained checkpoint under " + root + " does not fit this version of the "
                        + pipeline.name() + " job: " + incompatible + ". Start over with 'run " + pipeline.name()
                        + " --fresh', or with './millrace reset " + pipeline.name() + "' to also clear its topics.");
            }
            throw e;
        }
        if (jobs.size() == 1) {
            out.println(pipeline.name() + " pipeline running (job " + job.client().getJobID() + ", parallelism "
                    + config.parallelism() + ")");
        } else {
            out.println(pipeline.name() + " pipeline running as " + jobs.size() + " jobs (parallelism "
                    + config.parallelism() + " each)");
            for (int i = 0; i < jobs.size(); i++) {
                out.println("  job           " + job.names().get(i) + " (" + job.clients().get(i).getJobID() + ")");
            }
        }
        out.println("  Flink web UI  " + job.webUrl());
        if (dashboard != null) {
            dashboard.watch(new DashboardServer.Target(pipeline, job.webUrl(), job.jobIds()));
            out.println("  Dashboard     " + dashboard.url());
        }
        out.println("  reads         " + pipeline.sources().stream().map(SourceSpec::name).collect(Collectors.joining(", "))
                + " (group " + config.groupId() + ")");
        out.println("  writes        " + describeSinks(pipeline.sinks()));
        out.println("  checkpoints   every " + config.checkpointInterval().toSeconds() + " s under " + root);
        for (int i = 0; i < jobs.size(); i++) {
            String who = jobs.size() == 1 ? "" : " (" + job.names().get(i) + ")";
            if (job.restored().get(i).isPresent()) {
                CheckpointStore.Checkpoint c = job.restored().get(i).get();
                out.println("  resumed from  chk-" + c.id() + " (" + Instant.ofEpochMilli(c.completedAt()) + ")" + who);
            } else if (fresh) {
                out.println("  started fresh: no state, reading the input topics from the beginning" + who);
            } else {
                out.println("  no checkpoint yet: starting from the group's committed offsets (the beginning if none)"
                        + who);
            }
        }
        out.flush();
        return job;
    }

    /** E.g. "PostgreSQL enriched_trades, sector_metrics; Kafka market.dlq (exactly once)". */
    static String describeSinks(List<SinkSpec> sinks) {
        List<String> parts = new ArrayList<>();
        String tables = sinks.stream().filter(s -> s instanceof SinkSpec.PostgresTable).map(SinkSpec::name)
                .collect(Collectors.joining(", "));
        String topics = sinks.stream().filter(s -> s instanceof SinkSpec.KafkaTopic).map(SinkSpec::name)
                .collect(Collectors.joining(", "));
        String redis = sinks.stream().filter(s -> s instanceof SinkSpec.RedisKeys).map(SinkSpec::name)
                .collect(Collectors.joining(", "));
        if (!tables.isEmpty()) {
            parts.add("PostgreSQL " + tables);
        }
        if (!redis.isEmpty()) {
            parts.add("Redis " + redis + " (idempotent writes)");
        }
        sinks.stream().filter(s -> s instanceof SinkSpec.SearchIndex).map(SinkSpec::name).findFirst()
                .ifPresent(index -> parts.add("OpenSearch " + index + " (documents by id)"));
        sinks.stream().filter(s -> s instanceof SinkSpec.WarehouseTable).map(SinkSpec::name).findFirst()
                .ifPresent(table -> parts.add("Iceberg " + table + " (committed on checkpoints)"));
        if (!topics.isEmpty()) {
            parts.add("Kafka " + topics + " (exactly once)");
        }
        return String.join("; ", parts);
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
}
