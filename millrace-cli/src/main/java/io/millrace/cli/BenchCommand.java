package io.millrace.cli;

import io.millrace.config.CommonKeys;
import io.millrace.config.MarketConfig;
import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.config.StreamKeys;
import io.millrace.config.StreamPipelineConfig;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.StreamGeneratorOptions;
import io.millrace.sink.EnrichedTradesTable;
import io.millrace.sink.LateTradesTable;
import io.millrace.sink.ProgressTable;
import io.millrace.sink.SectorMetricsTable;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.Ports;
import io.millrace.verify.ConsumerLag;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millrace bench PIPELINE}: generator speed, then pipeline throughput on the generated backlog,
 * measured against the local stack in its own topics, database and consumer group.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a pipeline on this machine: write --count records as fast as possible (generator "
                + "rate), then process them from a fresh start until every result is final (pipeline throughput), "
                + "then verify. Uses bench.* topics (and the millrace_bench database), never the demo's data.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = Pipelines.Names.class)
    String pipeline;

    @Option(names = "--count", defaultValue = "1000000", description = "input records (default: ${DEFAULT-VALUE})")
    long count;

    @Option(names = "--event-rate", defaultValue = "20000",
            description = "event-time density: records per second of event time (default: ${DEFAULT-VALUE})")
    double eventRate;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2", description = "operator parallelism (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--skip-verify", description = "do not run verify after the run")
    boolean skipVerify;

    @Mixin
    PipelineFlags pipelineFlags;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        Pipeline p = Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        Settings stack = PipelineSettings.resolve(p.keys(), pipeline, home, new ConfigOptions(), new ConnectionOptions(),
                Map.of());
        PipelineSettings.requireEndpoints(stack, p.usesPostgres());
        PipelineConfig c = p.config(PipelineSettings.resolve(p.keys(), pipeline, home, config, new ConnectionOptions(),
                benchSettings(p, stack, home)));
        clean(p, c);
        TopicAdmin.ensure(c.kafka(), p.topics(c));

        out.printf("bench %s: %,d records, parallelism %d%s%n", pipeline, count, parallelism,
                c instanceof MarketConfig m ? ", sink write mode " + m.sink().writeMode() + ", batch " + m.sink().batchSize() : "");
        long start = System.currentTimeMillis() - (long) (count * 1000.0 / eventRate) - 60_000;
        EventGenerator generator = p.generator(c, new StreamGeneratorOptions(1, eventRate, start, 0.1,
                Duration.ofSeconds(3), 0, p.lateBy(c), 0));
        GeneratorRun.Stats stats;
        try (GeneratorProducer producer = new GeneratorProducer(c.kafka().bootstrapServers())) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "generate", count, null);
            stats = GeneratorRun.run(generator, producer, p.mainTopic(c), p.referenceTopic(c), 1e12, count, null, bar,
                    () -> false);
            bar.finish();
            GeneratorRun.appendClosing(generator, producer, p.mainTopic(c), p.closingOffset(c));
        }
        out.printf("generator: %,d records in %.2f s = %,.0f records/s%n", stats.mainRecords(), stats.elapsedNanos() / 1e9,
                stats.ratePerSecond());
        out.flush();

        long target = p.drainTarget(c, stats.maxEventTime());
        long expectedRows = stats.count(Kind.TRADE) + stats.count(Kind.OUT_OF_ORDER);
        long submitted = System.nanoTime();
        LocalFlink.LocalJob job = LocalFlink.start(p.jobName() + "-bench", parallelism, Ports.findFree(),
                new CheckpointStore(Path.of(URI.create(c.checkpointDir()))), true, env -> p.attach(env, c));
        out.println("pipeline started (Flink web UI " + job.webUrl() + ")");
        out.flush();
        FlinkRest rest = new FlinkRest(job.webUrl());
        String jobId = job.client().getJobID().toString();
        long firstRead = -1;
        long rows = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            rows = c instanceof MarketConfig m ? countRows(m) : Math.max(0, rest.operatorMetric(jobId,
                    "Kafka " + ((StreamPipelineConfig) c).stream().outputTopic() + ": Writer", "numRecordsIn"));
            if (firstRead < 0 && rest.operatorMetric(jobId, "Source: Kafka " + p.mainTopic(c), "numRecordsOut") > 0) {
                firstRead = System.nanoTime();
            }
            boolean allRows = !(c instanceof MarketConfig) || rows >= expectedRows;
            if (allRows && p.resultsWatermark(c, rest, jobId) >= target) {
                break;
            }
            Thread.sleep(200);
        }
        long done = System.nanoTime();
        if (!(c instanceof MarketConfig)) {
            // The windows the final watermark closed are written just after it: count them again.
            Thread.sleep(500);
            rows = Math.max(rows, rest.operatorMetric(jobId,
                    "Kafka " + ((StreamPipelineConfig) c).stream().outputTopic() + ": Writer", "numRecordsIn"));
        }
        String checkpoints = checkpointStats(job);
        if (!skipVerify) {
            // Offsets (and Kafka results) are committed when the next checkpoint completes; verify needs them.
            ConsumerLag.waitUntilCaughtUp(c.kafka().bootstrapServers(), c.groupId(), c.inputTopics(), Duration.ofSeconds(60),
                    new PrintWriter(Writer.nullWriter()));
            Thread.sleep(2 * c.checkpointInterval().toMillis());
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        double total = (done - submitted) / 1e9;
        double steady = firstRead < 0 ? total : (done - firstRead) / 1e9;
        out.printf("pipeline: %,d records processed in %.2f s from submit (%,.0f records/s); %.2f s from the first record "
                        + "read (%,.0f records/s)%n",
                stats.mainRecords(), total, stats.mainRecords() / total, steady, stats.mainRecords() / steady);
        if (c instanceof MarketConfig) {
            out.printf("enriched_trades: %,d rows upserted = %,.0f rows/s from submit, %,.0f rows/s from the first read%n",
                    rows, rows / total, rows / steady);
        } else {
            out.printf("results: %,d window results written%n", rows);
        }
        out.println("checkpoints: " + checkpoints);
        out.flush();
        if (skipVerify) {
            return 0;
        }
        return p.verify(c, Duration.ofSeconds(60), out).exitCode();
    }

    /** The bench's own topics, consumer group, checkpoints (and database for market). */
    private Map<String, String> benchSettings(Pipeline p, Settings stack, MillraceHome home) throws SQLException {
        Map<String, String> flags = new LinkedHashMap<>(pipelineFlags.asSettings(pipeline));
        flags.put(CommonKeys.PARALLELISM.name(), Integer.toString(parallelism));
        flags.put(CommonKeys.CHECKPOINT_DIR.name(), home.checkpoints(pipeline + "-bench").toUri().toString());
        if (p.usesPostgres()) {
            flags.put(CommonKeys.POSTGRES_URL.name(), ensureBenchDatabase(stack));
            flags.put(MarketConfig.TOPIC_TRADES.name(), "bench.stock-trades");
            flags.put(MarketConfig.TOPIC_INFO.name(), "bench.stock-info");
            flags.put(MarketConfig.TOPIC_DLQ.name(), "bench.market.dlq");
        } else {
            PipelineConfig defaults = p.config(stack);
            var s = ((StreamPipelineConfig) defaults).stream();
            flags.put(StreamKeys.input("").name(), "bench." + s.inputTopic());
            flags.put(StreamKeys.output("").name(), "bench." + s.outputTopic());
            flags.put(StreamKeys.late(pipeline).name(), "bench." + s.lateTopic());
            flags.put(StreamKeys.dlq(pipeline).name(), "bench." + s.dlqTopic());
        }
        flags.put(StreamKeys.groupId(pipeline).name(), "millrace-" + pipeline + "-bench");
        flags.putAll(config.set);
        return flags;
    }

    /** Count, and size and duration of the largest and the latest completed checkpoint, from the REST API. */
    private static String checkpointStats(LocalFlink.LocalJob job) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            String body = http.send(java.net.http.HttpRequest.newBuilder(URI.create(job.webUrl() + "/jobs/"
                    + job.client().getJobID() + "/checkpoints")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            var summary = json.path("summary");
            return String.format("%d completed; state size max %.0f MB; end-to-end duration median %d ms, max %d ms",
                    json.path("counts").path("completed").asLong(), summary.path("state_size").path("max").asDouble() / 1e6,
                    summary.path("end_to_end_duration").path("p50").asLong(),
                    summary.path("end_to_end_duration").path("max").asLong());
        } catch (Exception e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static long countRows(MarketConfig c) {
        try (Connection db = c.postgres().open(); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + EnrichedTradesTable.NAME)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    /** A separate database on the same server, so a benchmark never touches the demo's tables. */
    private static String ensureBenchDatabase(Settings settings) throws SQLException {
        try (Connection db = CommonKeys.postgres(settings).open(); Statement st = db.createStatement()) {
            db.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'millrace_bench'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE millrace_bench");
                }
            }
        }
        String url = settings.get(CommonKeys.POSTGRES_URL);
        return url.substring(0, url.lastIndexOf('/') + 1) + "millrace_bench";
    }

    private static void clean(Pipeline p, PipelineConfig c) throws Exception {
        List<String> topics = p.topics(c).stream().map(TopicSpec::name).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka().bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(topics.stream().filter(existing::contains).toList()).all().get();
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get().stream().anyMatch(topics::contains) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            try {
                admin.deleteConsumerGroups(List.of(c.groupId())).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                // No such group yet.
            }
        }
        if (c instanceof MarketConfig m) {
            try (Connection db = m.postgres().open(); Statement st = db.createStatement()) {
                db.setAutoCommit(true);
                for (String table : List.of(EnrichedTradesTable.NAME, SectorMetricsTable.NAME, LateTradesTable.NAME,
                        ProgressTable.NAME)) {
                    st.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }
}
