package io.millrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.bench.BenchChart;
import io.millrace.bench.BenchComparison;
import io.millrace.bench.BenchResult;
import io.millrace.bench.JobMeter;
import io.millrace.chaos.ChaosRun;
import io.millrace.chaos.ChaosTarget;
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
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.Service;
import io.millrace.pipeline.SinkSpec;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.Ports;
import io.millrace.stress.Stage;
import io.millrace.stress.StageResult;
import io.millrace.stress.StressReport;
import io.millrace.stress.StressRun;
import io.millrace.verify.ConsumerLag;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
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
                + "source database, the capture of that backlog into Kafka, and the pipeline on the captured backlog. A "
                + "choice flag given as 'all' (e.g. --architecture all) compares each of its choices on the same records.")
final class BenchCommand implements Callable<Integer> {

    /** A choice flag given as this value stands for each of its choices, e.g. {@code --architecture all}. */
    static final String ALL = "all";
    /** Timed COPY + upsert runs behind the PostgreSQL ceiling, which is the fastest of them. */
    private static final int CEILING_ATTEMPTS = 3;

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
            + "COPY + upsert of the rows the pipeline wrote (the best of three runs)")
    boolean limits;

    @Option(names = "--warmup", negatable = true, description = "run the first variant once on the records first, not "
            + "counted, so that no measured run pays for the JVM's class loading and compilation (default: on when "
            + "comparing several variants or a baseline, off for one run)")
    Boolean warmup;

    @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "RECORDS_PER_S",
            description = "then measure each variant live at this input rate: end-to-end latency p50/p99 of sampled "
                    + "records over --latency-duration, with the stress test's machinery (default: 0, not measured)")
    double latencyRate;

    @Option(names = "--latency-duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "with --latency-rate: how long the live stage runs (default: ${DEFAULT-VALUE})")
    Duration latencyDuration;

    @Option(names = "--recovery", description = "then measure each variant's recovery after kill -9: a chaos run of "
            + "45 s with two kills under load (at --latency-rate, else 5 000 records/s), on the chaos command's own stack "
            + "under .millrace/bench-chaos, verified")
    boolean recovery;

    @Option(names = "--report", paramLabel = "FILE.json", description = "when comparing (several variants, a baseline, "
            + "latency or recovery): the JSON report; the chart goes next to it as .png (default: "
            + ".millrace/bench/PIPELINE-TIME.json)")
    Path report;

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
        List<Variant> variants = variants(definition, pipelineFlags.asSettings(definition));
        List<Pipeline> configured = new ArrayList<>();
        for (Variant v : variants) {
            Settings resolved = PipelineSettings.resolve(definition, home, config, new ConnectionOptions(),
                    benchSettings(definition, stack, home, v.flags()));
            PipelineSettings.requireLocalWarehouse(definition, resolved);
            configured.add(definition.configure(resolved));
        }
        Pipeline p = configured.get(0);
        if (baseline != null && !baseline.equals("flink-sql")) {
            throw new UserError("bench --baseline: unknown baseline '" + baseline + "'; the one there is: flink-sql");
        }
        if (baseline != null && p.sqlBaseline().isEmpty()) {
            throw new UserError("bench --baseline: pipeline " + pipeline + " has no Flink SQL baseline to compare with");
        }
        if (definition.services().contains(Service.CAPTURE)) {
            if (variants.size() > 1) {
                throw new UserError("bench " + pipeline + ": comparing variants is not supported for a pipeline reading a "
                        + "database's changes");
            }
            return new CaptureBench(p, home, count, eventRate, parallelism, skipVerify, out, spec.commandLine().getErr())
                    .run();
        }
        PipelineConfig c = p.config();
        for (Pipeline each : configured) {
            clean(each);
        }
        TopicAdmin.ensure(c.kafka(), p.topics());

        String sinkOptions = definition.keys().contains(PostgresSettings.WRITE_MODE.name())
                ? ", sink write mode " + PostgresSettings.WRITE_MODE.format(p.settings().get(PostgresSettings.WRITE_MODE))
                        + ", batch " + p.settings().get(PostgresSettings.BATCH_SIZE)
                : "";
        out.printf("bench %s: %,d records, parallelism %d%s%s%n", pipeline, count, parallelism, sinkOptions,
                variants.size() > 1 ? ", variants " + String.join(", ", variants.stream().map(Variant::label).toList()) : "");
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
        if (warmup != null ? warmup : variants.size() > 1 || baseline != null) {
            // Compared runs share this JVM: without a warm-up the first would pay for class loading and compilation.
            out.println();
            out.println("== warm-up: " + variants.get(0).label() + " once on the same records, not counted");
            measure("warm-up", p, target, stats.mainRecords(), out);
            cleanResults(p);
        }
        List<BenchResult> results = new ArrayList<>();
        int exit = 0;
        for (int i = 0; i < variants.size(); i++) {
            Pipeline each = configured.get(i);
            if (variants.size() > 1) {
                out.println();
                out.println("== " + variants.get(i).label());
            }
            if (i > 0) {
                cleanResults(each);
            }
            BenchResult measured = measure(variants.get(i).label(), each, target, stats.mainRecords(), out);
            if (!skipVerify) {
                int code = each.verify(Duration.ofSeconds(60), out).exitCode();
                measured = withVerdict(measured, code == 0 ? "0 differences" : "FAILED (exit " + code + ")");
                exit = Math.max(exit, code);
            }
            results.add(measured);
        }
        SinkSpec sink = p.resultsSink();
        String unit = sink instanceof SinkSpec.PostgresTable ? "rows" : "records";
        double[] ceilings = {Double.NaN, Double.NaN};
        if (limits) {
            ceilings = limits(p, out);
        }
        if (baseline != null) {
            BenchResult base = baseline(p, out);
            results.add(base);
            for (BenchResult r : results.subList(0, variants.size())) {
                out.printf("ratio: %s %,.0f / baseline %,.0f %s/s from submit = %.2f x%n", r.variant(),
                        r.rowsPerSecondFromSubmit(), base.rowsPerSecondFromSubmit(), unit,
                        r.rowsPerSecondFromSubmit() / base.rowsPerSecondFromSubmit());
            }
        }
        double lower = Math.min(ceilings[0], Double.isNaN(ceilings[1]) ? Double.MAX_VALUE : ceilings[1]);
        if (!Double.isNaN(ceilings[0])) {
            for (BenchResult r : results.subList(0, variants.size())) {
                out.printf("ratio: %s %,.0f/s from submit = %.0f %% of the lower physical limit (%,.0f/s)%n", r.variant(),
                        r.rowsPerSecondFromSubmit(), 100 * r.rowsPerSecondFromSubmit() / lower, lower);
            }
        }
        if (latencyRate > 0) {
            for (int i = 0; i < variants.size(); i++) {
                results.set(i, latency(results.get(i), definition, stack, home, variants.get(i), out));
                if (Double.isNaN(results.get(i).latencyP99Ms())) {
                    exit = Math.max(exit, 1);
                }
            }
        }
        if (recovery) {
            for (int i = 0; i < variants.size(); i++) {
                results.set(i, recovery(results.get(i), definition, variants.get(i), out));
                if (results.get(i).recoveryVerdict().startsWith("FAILED")) {
                    exit = Math.max(exit, 1);
                }
            }
        }
        out.flush();
        if (variants.size() > 1 || baseline != null || latencyRate > 0 || recovery) {
            BenchComparison comparison = new BenchComparison(pipeline, machine(), stats.mainRecords(), eventRate,
                    generatorOptions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(java.util.stream.Collectors.joining(" ")),
                    List.copyOf(results), ceilings[0], ceilings[1]);
            out.println();
            out.print(comparison.table());
            Path json = report != null ? report.toAbsolutePath()
                    : home.root().resolve("bench").resolve(pipeline + "-" + LocalDateTime.now()
                            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
            Files.createDirectories(json.getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), comparison);
            Path png = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
            BenchChart.writePng(comparison, png);
            out.println("report: " + json);
            out.println("chart:  " + png);
        }
        out.flush();
        return exit;
    }

    /** One way to configure the pipeline in a comparison: a label and the flags' settings. */
    record Variant(String label, Map<String, String> flags) {}

    /**
     * The variants to compare: one, unless a choice flag was given as {@code all}, which stands for each of its
     * choices in turn (e.g. {@code --architecture all}).
     */
    static List<Variant> variants(PipelineDefinition<?> definition, Map<String, String> flags) {
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            if (!ALL.equalsIgnoreCase(flag.getValue())) {
                continue;
            }
            ConfigKey<?> key = definition.keys().require(flag.getKey());
            if (!key.typeName().contains("|")) {
                throw new UserError("'all' stands for every choice of a setting with choices; " + key.name() + " is a "
                        + key.typeName());
            }
            List<Variant> variants = new ArrayList<>();
            for (String choice : key.typeName().split("\\|")) {
                Map<String, String> each = new LinkedHashMap<>(flags);
                each.put(flag.getKey(), choice);
                variants.add(new Variant(choice, each));
            }
            return variants;
        }
        String label = flags.isEmpty() ? definition.name()
                : String.join(" ", flags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        return List.of(new Variant(label, flags));
    }

    /** Runs every job of the pipeline fresh on the backlog and times it until its results are final. */
    private BenchResult measure(String label, Pipeline p, long target, long records, PrintWriter out) throws Exception {
        PipelineConfig c = p.config();
        JobMeter meter = new JobMeter();
        LocalFlink.LocalJob job = LocalPipelineJob.start(p, Ports.findFree(), true, out);
        // Timed from the submission to the started cluster, as on a real one; the local cluster's start is reported.
        long submitted = job.submittedNanos();
        out.printf("local cluster started in %.2f s before the submission%n", job.clusterStartSeconds());
        out.flush();
        long done;
        double cpu;
        long firstRead = -1;
        long rows;
        CheckpointSummary checkpoints;
        SinkSpec results = p.resultsSink();
        try {
            FlinkRest rest = new FlinkRest(job.webUrl());
            String jobIds = job.jobIds();
            String firstSource = p.sources().get(0).metricOperator();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (ResultsProgress.watermark(p, rest, jobIds) < target) {
                if (System.nanoTime() > deadline || job.anyEnded()) {
                    throw new IllegalStateException(label + ": the results were not final within 30 minutes, or a job "
                            + "ended; see .millrace/logs/bench.log");
                }
                meter.sampleHeap();
                if (firstRead < 0 && rest.operatorMetric(jobIds, firstSource, "numRecordsOut") > 0) {
                    firstRead = System.nanoTime();
                }
                Thread.sleep(200);
            }
            done = System.nanoTime();
            cpu = meter.cpuSeconds();
            // The results the final watermark closed are written just after it: count once they are in.
            Thread.sleep(500);
            rows = written(results, rest, jobIds);
            checkpoints = checkpointStats(job);
            if (!skipVerify) {
                // Offsets (and Kafka results) are committed when the next checkpoint completes; verify needs them.
                ConsumerLag.waitUntilCaughtUp(c.kafka(), c.groupId(), c.inputTopics(), Duration.ofSeconds(60),
                        new PrintWriter(Writer.nullWriter()));
                Thread.sleep(2 * c.checkpointInterval().toMillis());
            }
        } finally {
            job.cancelAndAwait(Duration.ofSeconds(60));
        }
        double total = (done - submitted) / 1e9;
        double steady = firstRead < 0 ? total : (done - firstRead) / 1e9;
        out.printf("pipeline: %,d records processed in %.2f s from submit (%,.0f records/s); %.2f s from the first record "
                        + "read (%,.0f records/s)%n", records, total, records / total, steady, records / steady);
        out.printf("%s: %,d %s written = %,.0f/s from submit, %,.0f/s from the first read%n", results.name(), rows,
                results instanceof SinkSpec.PostgresTable ? "rows" : "records", rows / total, rows / steady);
        out.printf("job: %.1f CPU seconds, peak heap %,.0f MB (sampled every 200 ms; everything in this JVM)%n", cpu,
                meter.peakHeapMb());
        out.println("checkpoints: " + checkpoints.describe());
        out.flush();
        return new BenchResult(label, rows, total, steady, cpu, meter.peakHeapMb(), checkpoints.completed(),
                checkpoints.stateMb(), checkpoints.medianMs(), checkpoints.maxMs(), "not verified", Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, null);
    }

    private static BenchResult withVerdict(BenchResult r, String verified) {
        return new BenchResult(r.variant(), r.rows(), r.secondsFromSubmit(), r.secondsFromFirstRead(), r.cpuSeconds(),
                r.peakHeapMb(), r.checkpoints(), r.checkpointStateMb(), r.checkpointMedianMs(), r.checkpointMaxMs(),
                verified, r.latencyRate(), r.latencyP50Ms(), r.latencyP99Ms(), r.recoveryMinSeconds(),
                r.recoveryMaxSeconds(), r.recoveryVerdict());
    }

    /**
     * The variant live: its jobs started on new input only (own group, checkpoints and transactions), one stress
     * stage at {@code --latency-rate} for {@code --latency-duration}, end-to-end latency of sampled records.
     */
    private BenchResult latency(BenchResult r, PipelineDefinition<?> definition, Settings stack, MillraceHome home,
            Variant v, PrintWriter out) throws Exception {
        out.println();
        out.printf("== %s: latency at %,.0f records/s for %s%n", v.label(), latencyRate, Terminal.duration(latencyDuration));
        Map<String, String> flags = new LinkedHashMap<>(benchSettings(definition, stack, home, v.flags()));
        String name = "millrace-" + pipeline + "-bench-latency-" + v.label().replaceAll("[^A-Za-z0-9]+", "-");
        flags.put(CommonSettings.GROUP_ID, name);
        if (definition.keys().contains("sink.transactional-id-prefix")) {
            flags.put("sink.transactional-id-prefix", name);
        }
        Path checkpoints = home.checkpoints(pipeline + "-bench-latency");
        deleteTree(checkpoints);
        flags.put(CommonSettings.CHECKPOINT_DIR.name(), checkpoints.toUri().toString());
        flags.put(CommonSettings.STARTING_OFFSETS.name(), "latest");
        Pipeline live = definition.configure(PipelineSettings.resolve(definition, home, config, new ConnectionOptions(),
                flags));
        // Empty result tables: a sampled record counts as visible only once this run wrote it.
        cleanResults(live);
        LocalFlink.LocalJob job = LocalPipelineJob.start(live, Ports.findFree(), true, out);
        StressReport report;
        try {
            report = new StressRun(live, new FlinkRest(job.webUrl()), job.jobIds(), new StressRun.Options(
                    List.of(new Stage("fixed", latencyRate)), latencyDuration, false, 0, 50, 11, Duration.ofSeconds(30)),
                    out).run();
        } finally {
            job.cancelAndAwait(Duration.ofSeconds(60));
        }
        StageResult stage = report.stages().get(0);
        if (stage.latency() == null || stage.latency().samples() == 0) {
            out.println("latency: no sampled record's result became visible");
            return r;
        }
        out.printf("latency: p50 %,d ms, p99 %,d ms (%,d sampled records; %s)%n", stage.latency().p50(),
                stage.latency().p99(), stage.latency().samples(), stage.verdict());
        return r.withLatency(latencyRate, stage.latency().p50(), stage.latency().p99());
    }

    /** The variant under chaos: a short run with two kill -9 under load, on the chaos command's own stack. */
    private BenchResult recovery(BenchResult r, PipelineDefinition<?> definition, Variant v, PrintWriter out)
            throws Exception {
        out.println();
        out.printf("== %s: recovery (chaos run: 2 x kill -9 over 45 s at %,.0f records/s)%n", v.label(),
                latencyRate > 0 ? latencyRate : 5000);
        Map<String, String> settings = new LinkedHashMap<>(v.flags());
        settings.putAll(config.set);
        MillraceHome chaosHome = new MillraceHome(MillraceHome.resolve().root().resolve("bench-chaos"));
        ChaosRun.Report report = new ChaosRun(chaosHome, new ChaosTarget(definition, settings), new ChaosRun.Options(2,
                Duration.ofSeconds(45), latencyRate > 0 ? latencyRate : 5000, false, false, false, false,
                Duration.ofSeconds(10), 7, 0.1, 0.001, 0.001), out).run();
        ChaosCommand.printSummary(out, report);
        double[] times = report.faults().stream().mapToDouble(ChaosRun.Fault::recoverySeconds)
                .filter(d -> !Double.isNaN(d)).sorted().toArray();
        long unrecovered = report.faults().size() - times.length;
        String verdict = !report.passed() ? "FAILED" + (unrecovered > 0 ? ": " + unrecovered + " kills not recovered" : "")
                : "0 lost, 0 duplicated";
        if (times.length == 0) {
            return r.withRecovery(Double.NaN, Double.NaN, verdict);
        }
        return r.withRecovery(times[0], times[times.length - 1], verdict);
    }

    private static String machine() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + ", "
                            + Runtime.getRuntime().availableProcessors() + " cores";
                }
            }
        } catch (java.io.IOException e) {
            // Not Linux: the core count alone.
        }
        return Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path each : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    /**
     * Measures the physical limits on the bench's records: {consume + decode records/s, PostgreSQL COPY + upsert rows/s
     * (NaN without a PostgreSQL results table)}.
     */
    private double[] limits(Pipeline p, PrintWriter out) throws Exception {
        BenchLimits.Measured read = BenchLimits.consumeAndDecode(p, p.config().kafka(), p.mainTopic());
        out.printf("limit: one Kafka consumer decoding %s (no Flink): %,d records in %.2f s = %,.0f records/s%n",
                p.mainTopic(), read.count(), read.seconds(), read.perSecond());
        double write = Double.NaN;
        if (p.resultsSink() instanceof SinkSpec.PostgresTable table) {
            List<BenchLimits.Measured> attempts = BenchLimits.postgresCopyUpsert(table, CEILING_ATTEMPTS);
            BenchLimits.Measured copy = attempts.stream().min(Comparator.comparingLong(BenchLimits.Measured::nanos))
                    .orElseThrow();
            out.printf("limit: one PostgreSQL writer, COPY + upsert of the %,d rows of %s: %.2f s = %,.0f rows/s (best of "
                    + "%s s)%n", copy.count(), table.name(), copy.seconds(), copy.perSecond(), attempts.stream()
                    .map(m -> String.format("%.2f", m.seconds())).collect(Collectors.joining(", ")));
            write = copy.perSecond();
        }
        out.flush();
        return new double[] {read.perSecond(), write};
    }

    /**
     * Runs the pipeline's Flink SQL formulation on the same records, fresh, in the same way (parallelism, checkpoints),
     * timed from submit until it has written as many results as the pipeline; returns its main rows per second.
     */
    private BenchResult baseline(Pipeline p, PrintWriter out) throws Exception {
        var sql = p.sqlBaseline().orElseThrow();
        out.println("baseline: " + sql.describe());
        sql.prepare();
        String group = p.config().groupId() + "-baseline";
        ResetCommand.deleteTopics(p.config().kafka(), List.of(), group);
        JobMeter meter = new JobMeter();
        LocalFlink.LocalJob job = LocalFlink.start(p.name() + "-baseline", parallelism, Ports.findFree(),
                new CheckpointStore(home().checkpoints(p.name() + "-baseline")), true, env -> sql.attach(env, group));
        long submitted = job.submittedNanos();
        out.printf("baseline started (Flink web UI %s; local cluster started in %.2f s before the submission)%n",
                job.webUrl(), job.clusterStartSeconds());
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        boolean done;
        while (!(done = sql.caughtUp()) && System.nanoTime() < deadline
                && !job.client().getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            meter.sampleHeap();
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - submitted) / 1e9;
        double cpu = meter.cpuSeconds();
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
        CheckpointSummary checkpoints = checkpointStats(job);
        job.cancelAndAwait(Duration.ofSeconds(60));
        out.printf("baseline: %,d rows in %.2f s from submit = %,.0f rows/s%n", rows, seconds, rows / seconds);
        String agreement = sql.agreement();
        out.println("baseline agrees with the pipeline on " + agreement);
        out.printf("baseline job: %.1f CPU seconds, peak heap %,.0f MB%n", cpu, meter.peakHeapMb());
        out.println("baseline checkpoints: " + checkpoints.describe());
        out.flush();
        // Not timed from its first read: its source operator is SQL's, not the pipeline's.
        return new BenchResult("baseline: Flink SQL", rows, seconds, Double.NaN, cpu, meter.peakHeapMb(),
                checkpoints.completed(), checkpoints.stateMb(), checkpoints.medianMs(), checkpoints.maxMs(),
                "agrees with the pipeline", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "not measured");
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
    private static long written(SinkSpec sink, FlinkRest rest, String jobIds) {
        if (sink instanceof SinkSpec.PostgresTable table) {
            try (Connection db = table.postgres().open(); Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.name())) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                return 0;
            }
        }
        return Math.max(0, rest.operatorMetric(jobIds, sink.writerOperator(), "numRecordsIn"));
    }

    /** The bench's own topics, consumer group, checkpoints and, for a PostgreSQL pipeline, database. */
    private Map<String, String> benchSettings(PipelineDefinition<?> definition, Settings stack, MillraceHome home,
            Map<String, String> variant) throws SQLException {
        Map<String, String> flags = new LinkedHashMap<>(variant);
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

    /** Completed checkpoints of a pipeline's jobs: their count, the largest state and the end-to-end durations. */
    record CheckpointSummary(int completed, double stateMb, long medianMs, long maxMs) {

        String describe() {
            return completed < 0 ? "unavailable" : String.format("%d completed; state size max %.1f MB; end-to-end "
                    + "duration median %d ms, max %d ms", completed, stateMb, medianMs, maxMs);
        }
    }

    /**
     * The checkpoints of every job of {@code job}, from the REST API: counts added, state sizes added (the jobs hold
     * their state side by side), durations the slowest job's.
     */
    private static CheckpointSummary checkpointStats(LocalFlink.LocalJob job) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            int completed = 0;
            double state = 0;
            long median = 0;
            long max = 0;
            for (JobClient client : job.clients()) {
                String body = http.send(java.net.http.HttpRequest.newBuilder(URI.create(job.webUrl() + "/jobs/"
                        + client.getJobID() + "/checkpoints")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                var json = new ObjectMapper().readTree(body);
                var summary = json.path("summary");
                completed += json.path("counts").path("completed").asInt();
                state += summary.path("state_size").path("max").asDouble() / 1e6;
                median = Math.max(median, summary.path("end_to_end_duration").path("p50").asLong());
                max = Math.max(max, summary.path("end_to_end_duration").path("max").asLong());
            }
            return new CheckpointSummary(completed, state, median, max);
        } catch (Exception e) {
            return new CheckpointSummary(-1, Double.NaN, -1, -1);
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

    /**
     * Deletes what a previous variant wrote (its tables, its topics other than the input, its consumer groups), so the
     * next one starts from nothing on the same input.
     */
    private static void cleanResults(Pipeline p) throws Exception {
        List<String> written = p.allTopics().stream().filter(t -> !p.config().inputTopics().contains(t)).toList();
        ResetCommand.deleteTopics(p.config().kafka(), written, p.config().groupId());
        ResetCommand.dropTables(p.name(), p.sinks(SinkSpec.PostgresTable.class));
        ResetCommand.deleteIndexes(p.sinks(SinkSpec.SearchIndex.class));
        ResetCommand.dropWarehouseTables(p.sinks(SinkSpec.WarehouseTable.class));
        TopicAdmin.ensure(p.config().kafka(), p.topics());
    }

    /** Deletes the bench's topics, consumer group and tables, so every run starts from nothing. */
    private static void clean(Pipeline p) throws Exception {
        ResetCommand.deleteTopics(p.config().kafka(), p.allTopics(), p.config().groupId());
        ResetCommand.dropTables(p.name(), p.sinks(SinkSpec.PostgresTable.class));
        ResetCommand.deleteIndexes(p.sinks(SinkSpec.SearchIndex.class));
        ResetCommand.dropWarehouseTables(p.sinks(SinkSpec.WarehouseTable.class));
    }
}
