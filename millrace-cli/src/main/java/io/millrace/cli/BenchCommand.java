package io.millrace.cli;

import io.millrace.config.CommonKeys;
import io.millrace.config.MarketConfig;
import io.millrace.config.Settings;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.job.JobSetup;
import io.millrace.job.MarketJob;
import io.millrace.sink.EnrichedTradesTable;
import io.millrace.sink.LateTradesTable;
import io.millrace.sink.ProgressTable;
import io.millrace.sink.SectorMetricsTable;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.Horizons;
import io.millrace.verify.MarketVerifier;
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
 * {@code millrace bench market}: generator speed, then pipeline throughput on the generated backlog,
 * measured against the local stack in its own topics, database and consumer group.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a pipeline on this machine: write --count records as fast as possible (generator "
                + "rate), then process them from a fresh start until every row has landed (pipeline throughput), "
                + "then verify. Uses bench.* topics and the millrace_bench database, never the demo's data.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = Pipelines.Names.class)
    String pipeline;

    @Option(names = "--count", defaultValue = "1000000", description = "trade records (default: ${DEFAULT-VALUE})")
    long count;

    @Option(names = "--event-rate", defaultValue = "20000",
            description = "event-time density: trades per second of event time (default: ${DEFAULT-VALUE})")
    double eventRate;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2", description = "operator parallelism (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--skip-verify", description = "do not run verify after the run")
    boolean skipVerify;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        Settings stackSettings = PipelineSettings.resolve(MarketConfig.keys(), pipeline, home, new ConfigOptions(),
                new ConnectionOptions(), Map.of());
        PipelineSettings.requireEndpoints(stackSettings, true);
        String benchUrl = ensureBenchDatabase(stackSettings);

        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(CommonKeys.POSTGRES_URL.name(), benchUrl);
        flags.put(CommonKeys.PARALLELISM.name(), Integer.toString(parallelism));
        flags.put(CommonKeys.CHECKPOINT_DIR.name(), home.checkpoints("market-bench").toUri().toString());
        flags.put(MarketConfig.TOPIC_TRADES.name(), "bench.stock-trades");
        flags.put(MarketConfig.TOPIC_INFO.name(), "bench.stock-info");
        flags.put(MarketConfig.TOPIC_DLQ.name(), "bench.market.dlq");
        flags.put(MarketConfig.GROUP_ID.name(), "millrace-market-bench");
        flags.putAll(config.set);
        MarketConfig market = MarketConfig.from(PipelineSettings.resolve(MarketConfig.keys(), pipeline, home, config,
                new ConnectionOptions(), flags));
        clean(market);
        TopicAdmin.ensure(market.kafka(), MarketJob.topics(market));

        out.printf("bench market: %,d trades, parallelism %d, sink write mode %s, batch %,d%n", count, parallelism,
                market.sink().writeMode(), market.sink().batchSize());
        long start = System.currentTimeMillis() - (long) (count * 1000.0 / eventRate) - 60_000;
        MarketGeneratorOptions options = new MarketGeneratorOptions(1, 8, eventRate, start, 0.1, Duration.ofSeconds(3),
                0, Duration.ofMinutes(7), 0, 0, Duration.ofSeconds(5));
        MarketEventGenerator generator = new MarketEventGenerator(options);
        GeneratorRun.Stats stats;
        try (GeneratorProducer producer = new GeneratorProducer(market.kafka().bootstrapServers())) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "generate", count, null);
            stats = GeneratorRun.run(generator, producer, market.tradesTopic(), market.infoTopic(), 1e12, count, null, bar,
                    () -> false);
            bar.finish();
            GeneratorRun.appendClosing(generator, producer, market.tradesTopic(), MarketEventGenerator.closingOffset(market));
        }
        out.printf("generator: %,d records in %.2f s = %,.0f records/s%n", stats.mainRecords(), stats.elapsedNanos() / 1e9,
                stats.ratePerSecond());
        out.flush();

        long expectedRows = stats.count(Kind.TRADE) + stats.count(Kind.OUT_OF_ORDER);
        long target = stats.maxTradeTime() + market.maxWait().toMillis() + market.windowSize().toMillis();
        long submitted = System.nanoTime();
        LocalFlink.LocalJob job = LocalFlink.start(MarketJob.NAME + "-bench", parallelism, freePort(),
                new CheckpointStore(Path.of(URI.create(market.checkpointDir()))), true, env -> {
                    JobSetup.configure(env, parallelism, market.checkpointInterval(), market.checkpointDir(), market.stateBackend());
                    MarketJob.attach(env, market);
                });
        out.println("pipeline started (Flink web UI " + job.webUrl() + ")");
        out.flush();
        long firstRow = -1;
        long rows = 0;
        try (Connection db = market.postgres().open()) {
            db.setAutoCommit(true);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (System.nanoTime() < deadline) {
                rows = countRows(db);
                if (rows > 0 && firstRow < 0) {
                    firstRow = System.nanoTime();
                }
                Map<String, Long> horizons = Horizons.read(db, MarketConfig.PIPELINE);
                if (rows >= expectedRows && horizons.getOrDefault("sector_metrics", Long.MIN_VALUE) >= target) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        long done = System.nanoTime();
        String checkpoints = checkpointStats(job);
        if (!skipVerify) {
            // Offsets are committed when the next checkpoint completes; verify needs them.
            ConsumerLag.waitUntilCaughtUp(market.kafka().bootstrapServers(), market.groupId(),
                    List.of(market.tradesTopic(), market.infoTopic()), Duration.ofSeconds(60), new PrintWriter(Writer.nullWriter()));
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        double total = (done - submitted) / 1e9;
        double steady = firstRow < 0 ? total : (done - firstRow) / 1e9;
        out.printf("pipeline: %,d records processed in %.2f s from submit (%,.0f records/s); %.2f s from the first row "
                        + "landing (%,.0f records/s)%n",
                stats.mainRecords(), total, stats.mainRecords() / total, steady, stats.mainRecords() / steady);
        out.printf("enriched_trades: %,d rows upserted = %,.0f rows/s from submit, %,.0f rows/s from the first row%n",
                rows, rows / total, rows / steady);
        out.println("checkpoints: " + checkpoints);
        out.flush();
        if (skipVerify) {
            return 0;
        }
        return MarketVerifier.verify(market, Duration.ofSeconds(60), out).exitCode();
    }

    /** Count, and size and duration of the largest and the latest completed checkpoint, from the REST API. */
    private static String checkpointStats(LocalFlink.LocalJob job) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(job.webUrl() + "/jobs/"
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

    private static int freePort() {
        return io.millrace.stack.Ports.findFree();
    }

    private static long countRows(Connection db) {
        try (Statement st = db.createStatement();
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

    private static void clean(MarketConfig market) throws Exception {
        List<String> topics = List.of(market.tradesTopic(), market.infoTopic(), market.dlqTopic());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, market.kafka().bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(topics.stream().filter(existing::contains).toList()).all().get();
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get().stream().anyMatch(topics::contains) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            try {
                admin.deleteConsumerGroups(List.of(market.groupId())).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                // No such group yet.
            }
        }
        try (Connection db = market.postgres().open(); Statement st = db.createStatement()) {
            db.setAutoCommit(true);
            for (String table : List.of(EnrichedTradesTable.NAME, SectorMetricsTable.NAME, LateTradesTable.NAME, ProgressTable.NAME)) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }
}
