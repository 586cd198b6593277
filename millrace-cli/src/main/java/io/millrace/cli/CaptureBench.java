package io.millrace.cli;

import io.millrace.observe.FlinkRest;
import io.millrace.config.PipelineConfig;
import io.millrace.config.PostgresConnection;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.CaptureSpec;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.SinkSpec;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.ChangeDataCapture;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.Ports;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * {@code bench} of a pipeline that reads a database's changes, in three measured stages on the local stack:
 * rows inserted into a fresh source database; the capture of the backlog into Kafka (slot created before
 * the inserts, then the service started on the retained WAL); the pipeline from a fresh start on the
 * captured backlog until its sinks' progress covers the last change; then, once the last minute is final,
 * verify. Its own source database, slot, topics, consumer group, checkpoints and Redis database.
 */
final class CaptureBench {

    private final Pipeline p;
    private final MillraceHome home;
    private final long count;
    private final double eventRate;
    private final int parallelism;
    private final boolean skipVerify;
    private final PrintWriter out;
    private final PrintWriter err;

    CaptureBench(Pipeline p, MillraceHome home, long count, double eventRate, int parallelism, boolean skipVerify,
            PrintWriter out, PrintWriter err) {
        this.p = p;
        this.home = home;
        this.count = count;
        this.eventRate = eventRate;
        this.parallelism = parallelism;
        this.skipVerify = skipVerify;
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        PipelineConfig c = p.config();
        CaptureSpec spec = p.capture().orElseThrow();
        ChangeDataCapture.Options capture = new ChangeDataCapture.Options(spec.source().url(), spec.source().user(),
                spec.source().password(), spec.tables(), spec.topicPrefix(), spec.slot(), spec.publication(),
                home.root().resolve("capture").resolve(p.name() + "-bench"), c.kafka(), spec.partitions(),
                spec.heartbeatInterval());
        if (!new HashSet<>(c.inputTopics()).containsAll(spec.tables().stream().map(capture::topic).toList())) {
            throw new UserError("the capture's topics " + spec.tables().stream().map(capture::topic).toList()
                    + " are not the pipeline's inputs " + c.inputTopics() + "; set capture.topic-prefix to match");
        }
        clean(spec, capture.stateDir());
        p.prepareSources();
        TopicAdmin.ensure(c.kafka(), p.topics());
        // The slot is created now, on empty tables: the inserts below stay in the WAL for the capture to read.
        try (ChangeDataCapture first = ChangeDataCapture.start(capture)) {
            awaitRunning(first);
            first.awaitPositionStored(Duration.ofSeconds(120));
        }

        out.printf("bench %s: %,d events inserted into %s, parallelism %d%n", p.name(), count, spec.source().url(),
                parallelism);
        EventGenerator generator = p.generator(new GeneratorOptions(1, eventRate, System.currentTimeMillis(), 0.1,
                Duration.ofSeconds(3), 0, p.lateBy(), 0), Settings.defaults(p.definition().generatorSpec().options().all()));
        GeneratorRun.Stats stats;
        try (GeneratorOutput output = p.generatorOutput()) {
            ProgressBar bar = new ProgressBar(err, "insert", count, null);
            stats = GeneratorRun.run(generator, output, 1e12, count, null, bar, () -> false);
            bar.finish();
        }
        long changes = stats.mainRecords() + stats.count(Kind.INFO);
        out.printf("source database: %,d events and %,d content changes inserted in %.2f s = %,.0f rows/s%n",
                stats.mainRecords(), stats.count(Kind.INFO), stats.elapsedNanos() / 1e9, changes * 1e9 / stats.elapsedNanos());
        out.flush();

        try (ChangeDataCapture cdc = ChangeDataCapture.start(capture)) {
            long started = System.nanoTime();
            ProgressBar bar = new ProgressBar(err, "capture", changes, null);
            long deadline = started + TimeUnit.MINUTES.toNanos(30);
            long seen = -1;
            long lastMove = System.nanoTime();
            while (cdc.status().changesForwarded() < changes && System.nanoTime() < deadline) {
                long now = cdc.status().changesForwarded();
                if (now != seen) {
                    seen = now;
                    lastMove = System.nanoTime();
                } else if (System.nanoTime() - lastMove > TimeUnit.SECONDS.toNanos(60)) {
                    bar.finish();
                    throw new IllegalStateException("the capture stopped at " + now + " of " + changes + " changes for 60 s"
                            + (cdc.status().lastError() == null ? "" : ": " + cdc.status().lastError()));
                }
                bar.update(now, System.nanoTime() - started);
                Thread.sleep(100);
            }
            bar.finish();
            double seconds = (System.nanoTime() - started) / 1e9;
            ChangeDataCapture.Status status = cdc.status();
            out.printf("capture: %,d changes from the WAL into Kafka in %.2f s = %,.0f changes/s (slot lag now %,d bytes)%n",
                    status.changesForwarded(), seconds, status.changesForwarded() / seconds, status.slotLagBytes());
            long lastCommit = status.lastCommitMillis();
            out.flush();
            return pipeline(stats, lastCommit);
        }
    }

    private int pipeline(GeneratorRun.Stats stats, long lastCommit) throws Exception {
        PipelineConfig c = p.config();
        PipelineJob only = p.jobs().get(0);
        LocalFlink.LocalJob job = LocalFlink.start(only.name() + "-bench", parallelism, Ports.findFree(),
                new CheckpointStore(Path.of(URI.create(c.checkpointDir()))), true, only::attach);
        long submitted = job.submittedNanos();
        out.printf("pipeline started (Flink web UI %s; local cluster started in %.2f s before the submission)%n",
                job.webUrl(), job.clusterStartSeconds());
        out.flush();
        FlinkRest rest = new FlinkRest(job.webUrl());
        String jobId = job.client().getJobID().toString();
        Finality.Stored progress = (Finality.Stored) p.finality();
        String firstSource = p.sources().get(0).metricOperator();
        long firstRead = -1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        // Each fan-out sink (search index, warehouse table) is done once it has written all its feed sent it after the
        // results are final past the last commit; its rate counts from the first read to its last new row.
        List<String> fanOut = p.sinks().stream().filter(s -> s.role() == SinkRole.ENRICHED).map(SinkSpec::name).toList();
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, Long> lastGrowth = new LinkedHashMap<>();
        try (JobMonitor monitor = new JobMonitor(p, job.webUrl(), jobId)) {
            long lastPoll = 0;
            while (System.nanoTime() < deadline) {
                if (firstRead < 0 && rest.operatorMetric(jobId, firstSource, "numRecordsOut") > 0) {
                    firstRead = System.nanoTime();
                }
                boolean resultsDone = progress.watermark() >= lastCommit;
                boolean sinksDone = true;
                if (!fanOut.isEmpty() && (resultsDone || System.nanoTime() - lastPoll > TimeUnit.SECONDS.toNanos(1))) {
                    lastPoll = System.nanoTime();
                    JobMonitor.Snapshot now = monitor.poll();
                    for (String sink : fanOut) {
                        long n = now.sink(sink);
                        if (n > rows.getOrDefault(sink, 0L)) {
                            rows.put(sink, n);
                            lastGrowth.put(sink, now.nanos());
                        }
                        Long fed = now.fed().get(sink);
                        sinksDone &= fed != null && fed > 0 && n >= fed;
                    }
                }
                if (resultsDone && sinksDone) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        long done = System.nanoTime();
        long writes = 0;
        for (SinkSpec.RedisKeys sink : p.sinks(SinkSpec.RedisKeys.class)) {
            writes += Math.max(0, rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsSend"));
        }
        double total = (done - submitted) / 1e9;
        double steady = firstRead < 0 ? total : (done - firstRead) / 1e9;
        long changes = stats.mainRecords() + stats.count(Kind.INFO);
        out.printf("pipeline: %,d changes processed in %.2f s from submit (%,.0f changes/s); %.2f s from the first "
                + "record read (%,.0f changes/s)%n", changes, total, changes / total, steady, changes / steady);
        out.printf("Redis: %,d writes (after coalescing) = %,.0f writes/s from the first read%n", writes, writes / steady);
        long from = firstRead < 0 ? submitted : firstRead;
        for (String sink : fanOut) {
            long n = rows.getOrDefault(sink, 0L);
            double seconds = (lastGrowth.getOrDefault(sink, done) - from) / 1e9;
            out.printf("%s: %,d rows in %.2f s from the first read = %,.0f rows/s%n", sink, n, seconds,
                    seconds > 0 ? n / seconds : 0);
        }
        out.flush();
        int exit = 0;
        if (!skipVerify) {
            long target = p.drainTarget(stats.maxEventTime());
            out.println("waiting for commit time to pass the last minute's lateness (" + Instant.ofEpochMilli(target)
                    + ") before verify...");
            out.flush();
            long finalDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0,
                    target - System.currentTimeMillis())) + TimeUnit.MINUTES.toNanos(2);
            while (progress.watermark() < target && System.nanoTime() < finalDeadline) {
                Thread.sleep(1000);
            }
            exit = p.verify(Duration.ofSeconds(60), out).exitCode();
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        return exit;
    }

    private static void awaitRunning(ChangeDataCapture capture) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!capture.status().running()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the capture did not start: " + capture.status().lastError());
            }
            Thread.sleep(200);
        }
    }

    /** Drops the bench's slot, source database, topics, group, Redis database and capture offsets. */
    private void clean(CaptureSpec spec, Path captureState) throws Exception {
        PostgresConnection source = spec.source();
        String url = source.url();
        String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*$", "");
        PostgresConnection server = new PostgresConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres",
                source.user(), source.password(), source.sslMode(), source.sslRootCert());
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new UserError("bench database name '" + database + "' is not a plain identifier");
        }
        try (Connection db = server.open()) {
            db.setAutoCommit(true);
            boolean exists;
            try (PreparedStatement st = db.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                st.setString(1, database);
                exists = st.executeQuery().next();
            }
            if (exists) {
                // A logical slot can only be dropped from its own database.
                try (Connection own = source.open(); PreparedStatement st = own.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                    own.setAutoCommit(true);
                    st.setString(1, spec.slot());
                    st.execute();
                }
                try (Statement st = db.createStatement()) {
                    st.execute("DROP DATABASE " + database + " WITH (FORCE)");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the bench source database " + url + ": " + e.getMessage(), e);
        }
        ResetCommand.deleteTopics(p.config().kafka(), p.allTopics(), p.config().groupId());
        for (SinkSpec.RedisKeys sink : p.sinks(SinkSpec.RedisKeys.class)) {
            try (Jedis redis = sink.redis().open(Duration.ofSeconds(10))) {
                redis.flushDB();
            }
        }
        ResetCommand.deleteIndexes(p.sinks(SinkSpec.SearchIndex.class));
        ResetCommand.dropWarehouseTables(p.sinks(SinkSpec.WarehouseTable.class));
        deleteRecursively(captureState);
        new CheckpointStore(Path.of(URI.create(p.config().checkpointDir()))).deleteAll();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
