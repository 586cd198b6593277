package io.millrace.cli;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.PipelineConfig;
import io.millrace.config.PostgresSettings;
import io.millrace.config.RedisSettings;
import io.millrace.config.Settings;
import io.millrace.config.WarehouseSettings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.observe.FlinkRest;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.Service;
import io.millrace.pipeline.SinkSpec;
import io.millrace.source.TopicAdmin;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
                + "then verify. Uses bench.* topics (and the millrace_bench database, Redis database 1), never the "
                + "demo's data. A pipeline reading a database's changes is measured in three stages: inserts into its own "
                + "source database, the capture of that backlog into Kafka, and the pipeline on the captured backlog.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
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

    @Option(names = "--baseline", paramLabel = "flink-sql",
            description = "then run the pipeline's plain Flink SQL formulation on the same records, time it the same "
                    + "way and compare (market has one)")
    String baseline;

    @Option(names = "--gen", paramLabel = "OPTION=VALUE",
            description = "an option of the pipeline's generator, e.g. symbols=24 for market (./millrace gen PIPELINE "
                    + "--help lists them); repeatable")
    Map<String, String> generatorOptions = new LinkedHashMap<>();

    @Option(names = "--limits", description = "also measure the physical limits on the same records: one plain Kafka "
            + "consumer decoding the input with the pipeline's decoder (no Flink) and, for PostgreSQL results, one "
            + "COPY + upsert of the rows the pipeline wrote")
    boolean limits;

    @Mixin
    PipelineFlags pipelineFlags;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        PipelineDefinition<?> definition = Pipelines.require(pipeline);
        Settings stack = PipelineSettings.resolve(definition, home, new ConfigOptions(), new ConnectionOptions(), Map.of());
        PipelineSettings.requireEndpoints(stack, definition.services());
        Settings resolved = PipelineSettings.resolve(definition, home, config, new ConnectionOptions(),
                benchSettings(definition, stack, home));
        PipelineSettings.requireLocalWarehouse(definition, resolved);
        Pipeline p = definition.configure(resolved);
        if (baseline != null && !baseline.equals("flink-sql")) {
            throw new UserError("bench --baseline: unknown baseline '" + baseline + "'; the one there is: flink-sql");
        }
        if (baseline != null && p.sqlBaseline().isEmpty()) {
            throw new UserError("bench --baseline: pipeline " + pipeline + " has no Flink SQL baseline to compare with");
        }
        if (definition.services().contains(Service.CAPTURE)) {
            return new CaptureBench(p, home, count, eventRate, parallelism, skipVerify, out, spec.commandLine().getErr())
                    .run();
        }
        PipelineConfig c = p.config();
        clean(p);
        TopicAdmin.ensure(c.kafka(), p.topics());

        String sinkOptions = definition.keys().contains(PostgresSettings.WRITE_MODE.name())
                ? ", sink write mode " + PostgresSettings.WRITE_MODE.format(p.settings().get(PostgresSettings.WRITE_MODE))
                        + ", batch " + p.settings().get(PostgresSettings.BATCH_SIZE)
                : "";
        out.printf("bench %s: %,d records, parallelism %d%s%n", pipeline, count, parallelism, sinkOptions);
        long start = System.currentTimeMillis() - (long) (count * 1000.0 / eventRate) - 60_000;
        EventGenerator generator = p.generator(new GeneratorOptions(1, eventRate, start, 0.1, Duration.ofSeconds(3), 0,
                p.lateBy(), 0), generatorOptions(definition));
        GeneratorRun.Stats stats;
        try (GeneratorOutput output = p.generatorOutput()) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "generate", count, null);
            stats = GeneratorRun.run(generator, output, 1e12, count, null, bar, () -> false);
            bar.finish();
            GeneratorRun.appendClosing(generator, output, p.closingOffset());
        }
        out.printf("generator: %,d records in %.2f s = %,.0f records/s%n", stats.mainRecords(), stats.elapsedNanos() / 1e9,
                stats.ratePerSecond());
        out.flush();

        long target = p.drainTarget(stats.maxEventTime());
        PipelineJob only = p.jobs().get(0);
        long submitted = System.nanoTime();
        LocalFlink.LocalJob job = LocalFlink.start(only.name() + "-bench", parallelism, Ports.findFree(),
                new CheckpointStore(Path.of(URI.create(c.checkpointDir()))), true, only::attach);
        out.println("pipeline started (Flink web UI " + job.webUrl() + ")");
        out.flush();
        FlinkRest rest = new FlinkRest(job.webUrl());
        String jobId = job.client().getJobID().toString();
        SinkSpec results = p.resultsSink();
        String firstSource = p.sources().get(0).metricOperator();
        long firstRead = -1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (firstRead < 0 && rest.operatorMetric(jobId, firstSource, "numRecordsOut") > 0) {
                firstRead = System.nanoTime();
            }
            if (ResultsProgress.watermark(p, rest, jobId) >= target) {
                break;
            }
            Thread.sleep(200);
        }
        long done = System.nanoTime();
        // The results the final watermark closed are written just after it: count once they are in.
        Thread.sleep(500);
        long rows = written(results, rest, jobId);
        String checkpoints = checkpointStats(job);
        if (!skipVerify) {
            // Offsets (and Kafka results) are committed when the next checkpoint completes; verify needs them.
            ConsumerLag.waitUntilCaughtUp(c.kafka(), c.groupId(), c.inputTopics(), Duration.ofSeconds(60),
                    new PrintWriter(Writer.nullWriter()));
            Thread.sleep(2 * c.checkpointInterval().toMillis());
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        double total = (done - submitted) / 1e9;
        double steady = firstRead < 0 ? total : (done - firstRead) / 1e9;
        out.printf("pipeline: %,d records processed in %.2f s from submit (%,.0f records/s); %.2f s from the first record "
                        + "read (%,.0f records/s)%n",
                stats.mainRecords(), total, stats.mainRecords() / total, steady, stats.mainRecords() / steady);
        out.printf("%s: %,d %s written = %,.0f/s from submit, %,.0f/s from the first read%n", results.name(), rows,
                results instanceof SinkSpec.PostgresTable ? "rows" : "records", rows / total, rows / steady);
        out.println("checkpoints: " + checkpoints);
        out.flush();
        double millraceRate = rows / total;
        double ceiling = Double.NaN;
        if (limits) {
            ceiling = limits(p, out);
        }
        if (baseline != null) {
            double baselineRate = baseline(p, target, out);
            out.printf("ratio: %s %,.0f / baseline %,.0f %s/s from submit = %.2f x%n", pipeline, millraceRate,
                    baselineRate, results instanceof SinkSpec.PostgresTable ? "rows" : "records", millraceRate / baselineRate);
        }
        if (!Double.isNaN(ceiling)) {
            out.printf("ratio: %s %,.0f/s from submit = %.0f %% of the lower physical limit (%,.0f/s)%n", pipeline,
                    millraceRate, 100 * millraceRate / ceiling, ceiling);
        }
        out.flush();
        if (skipVerify) {
            return 0;
        }
        return p.verify(Duration.ofSeconds(60), out).exitCode();
    }

    /** Measures the physical limits on the bench's records; returns the lower of them (records or rows per second). */
    private double limits(Pipeline p, PrintWriter out) throws Exception {
        BenchLimits.Measured read = BenchLimits.consumeAndDecode(p, p.config().kafka(), p.mainTopic());
        out.printf("limit: one Kafka consumer decoding %s (no Flink): %,d records in %.2f s = %,.0f records/s%n",
                p.mainTopic(), read.count(), read.seconds(), read.perSecond());
        double lowest = read.perSecond();
        if (p.resultsSink() instanceof SinkSpec.PostgresTable table) {
            BenchLimits.Measured write = BenchLimits.postgresCopyUpsert(table);
            out.printf("limit: one PostgreSQL writer, COPY + upsert of the %,d rows of %s: %.2f s = %,.0f rows/s%n",
                    write.count(), table.name(), write.seconds(), write.perSecond());
            lowest = Math.min(lowest, write.perSecond());
        }
        out.flush();
        return lowest;
    }

    /**
     * Runs the pipeline's Flink SQL formulation on the same records, fresh, in the same way (parallelism, checkpoints),
     * timed from submit until it has written as many results as the pipeline; returns its main rows per second.
     */
    private double baseline(Pipeline p, long target, PrintWriter out) throws Exception {
        var sql = p.sqlBaseline().orElseThrow();
        out.println("baseline: " + sql.describe());
        sql.prepare();
        String group = p.config().groupId() + "-baseline";
        ResetCommand.deleteTopics(p.config().kafka(), List.of(), group);
        long submitted = System.nanoTime();
        LocalFlink.LocalJob job = LocalFlink.start(p.name() + "-baseline", parallelism, Ports.findFree(),
                new CheckpointStore(home().checkpoints(p.name() + "-baseline")), true, env -> sql.attach(env, group));
        out.println("baseline started (Flink web UI " + job.webUrl() + ")");
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        boolean done;
        while (!(done = sql.caughtUp()) && System.nanoTime() < deadline
                && !job.client().getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - submitted) / 1e9;
        long rows = sql.mainRows();
        if (!done) {
            String cause = "it did not catch up within 30 minutes";
            if (job.client().getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                try {
                    job.client().getJobExecutionResult().get(10, TimeUnit.SECONDS);
                    cause = "it finished early";
                } catch (ExecutionException e) {
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    cause = "it failed: " + root;
                }
            } else {
                job.client().cancel().get(30, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("the baseline wrote " + rows + " rows; " + cause);
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        out.printf("baseline: %,d rows in %.2f s from submit = %,.0f rows/s%n", rows, seconds, rows / seconds);
        out.println("baseline agrees with the pipeline on " + sql.agreement());
        out.flush();
        return rows / seconds;
    }

    private static MillraceHome home() {
        return MillraceHome.resolve();
    }

    /** The generator's own options as given with --gen, checked like settings. */
    private Settings generatorOptions(PipelineDefinition<?> definition) {
        try {
            return Settings.layered(definition.generatorSpec().options().all(), null, Map.of(), generatorOptions);
        } catch (ConfigException e) {
            throw new UserError(e.getMessage().replace("config key '", "bench --gen '"));
        }
    }

    /** Rows in a results table, or records its writer sent to a results topic. */
    private static long written(SinkSpec sink, FlinkRest rest, String jobId) {
        if (sink instanceof SinkSpec.PostgresTable table) {
            try (Connection db = table.postgres().open(); Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.name())) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                return 0;
            }
        }
        return Math.max(0, rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsIn"));
    }

    /** The bench's own topics, consumer group, checkpoints and, for a PostgreSQL pipeline, database. */
    private Map<String, String> benchSettings(PipelineDefinition<?> definition, Settings stack, MillraceHome home)
            throws SQLException {
        Map<String, String> flags = new LinkedHashMap<>(pipelineFlags.asSettings(definition));
        flags.put(CommonSettings.PARALLELISM.name(), Integer.toString(parallelism));
        flags.put(CommonSettings.CHECKPOINT_DIR.name(), home.checkpoints(pipeline + "-bench").toUri().toString());
        if (definition.keys().contains(WarehouseSettings.NAMESPACE.name())) {
            // Its own tables in the local warehouse, beside (not among) the ones `sql --warehouse` shows.
            flags.put(WarehouseSettings.PATH.name(), home.warehouse().toUri().toString());
            flags.put(WarehouseSettings.NAMESPACE.name(), stack.get(WarehouseSettings.NAMESPACE) + "_bench");
        }
        if (definition.services().contains(Service.CAPTURE)) {
            // Its own source database (created by the bench), slot, publication and change topics.
            String url = stack.get(PostgresSettings.URL);
            String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*$", "");
            flags.put(PostgresSettings.URL.name(), url.substring(0, url.lastIndexOf('/') + 1) + "millrace_bench_" + database);
            for (String key : List.of("capture.slot", "capture.publication")) {
                if (definition.keys().contains(key)) {
                    flags.put(key, String.valueOf(stack.get(definition.keys().require(key))) + "_bench");
                }
            }
            if (definition.keys().contains("capture.topic-prefix")) {
                flags.put("capture.topic-prefix", "bench." + String.valueOf(stack.get(definition.keys().require("capture.topic-prefix"))));
            }
        } else if (definition.services().contains(Service.POSTGRES)) {
            flags.put(PostgresSettings.URL.name(), ensureBenchDatabase(stack));
        }
        if (definition.services().contains(Service.REDIS)) {
            flags.put(RedisSettings.DATABASE.name(), "1");
        }
        for (ConfigKey<String> topic : definition.keys().topics()) {
            flags.put(topic.name(), "bench." + stack.get(topic));
        }
        flags.put(CommonSettings.GROUP_ID, "millrace-" + pipeline + "-bench");
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

    /** A separate database on the same server, so a benchmark never touches the demo's tables. */
    private static String ensureBenchDatabase(Settings settings) throws SQLException {
        try (Connection db = PostgresSettings.connection(settings).open(); Statement st = db.createStatement()) {
            db.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'millrace_bench'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE millrace_bench");
                }
            }
        }
        String url = settings.get(PostgresSettings.URL);
        return url.substring(0, url.lastIndexOf('/') + 1) + "millrace_bench";
    }

    /** Deletes the bench's topics, consumer group and tables, so every run starts from nothing. */
    private static void clean(Pipeline p) throws Exception {
        ResetCommand.deleteTopics(p.config().kafka(), p.allTopics(), p.config().groupId());
        ResetCommand.dropTables(p.name(), p.sinks(SinkSpec.PostgresTable.class));
        ResetCommand.deleteIndexes(p.sinks(SinkSpec.SearchIndex.class));
        ResetCommand.dropWarehouseTables(p.sinks(SinkSpec.WarehouseTable.class));
    }
}
