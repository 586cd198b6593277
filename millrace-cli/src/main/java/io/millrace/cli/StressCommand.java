package io.millrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.CommonSettings;
import io.millrace.observe.FlinkRest;
import io.millrace.observe.PipelineObserver;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.Ports;
import io.millrace.stress.Stage;
import io.millrace.stress.StressChart;
import io.millrace.stress.StressReport;
import io.millrace.stress.StressRun;
import io.millrace.stress.StressTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millrace stress PIPELINE}: stages of rising input rate against the running pipeline (or one it starts with
 * {@code --start}), measured per stage, with the highest sustainable rate; a table, a JSON file and a PNG chart.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = "Stress a running pipeline with its own generator (event time = now) in stages of rising rate; "
                + "per stage: target and achieved input rate, output rate per sink, end-to-end latency p50/p95/p99, "
                + "max consumer lag, checkpoint durations, CPU and heap of the job. Stops at the first stage it cannot "
                + "keep up with. Writes a table, a JSON file (--out) and a PNG chart next to it.")
final class StressCommand implements Callable<Integer> {

    static final String DEFAULT_STAGES = "baseline:100,low:1000,medium:2500,high:5000,extreme:10000";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--stages", defaultValue = DEFAULT_STAGES,
            description = "name:records-per-second, comma-separated (default: ${DEFAULT-VALUE})")
    String stages;

    @Option(names = "--stage-duration", defaultValue = "15s", converter = DurationConverter.class,
            description = "how long each stage runs (default: ${DEFAULT-VALUE})")
    Duration stageDuration;

    @Option(names = "--find-max", description = "after the listed stages, keep raising the rate by 1.5x per stage until "
            + "the pipeline cannot keep up")
    boolean findMax;

    @Option(names = "--max-extra-stages", defaultValue = "12",
            description = "with --find-max, at most this many added stages (default: ${DEFAULT-VALUE})")
    int maxExtraStages;

    @Option(names = "--start", description = "start the pipeline's job here (in-process Flink, its own consumer group "
            + "and checkpoints, reading only new input) instead of measuring one started with './millrace run'")
    boolean start;

    @Option(names = {"-p", "--parallelism"}, defaultValue = "2",
            description = "with --start: operator parallelism (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--flink-url", defaultValue = "http://127.0.0.1:8081",
            description = "without --start: the web UI of the Flink running the pipeline (default: ${DEFAULT-VALUE})")
    String flinkUrl;

    @Option(names = "--sample-every", defaultValue = "50",
            description = "follow one input record in this many for latency (default: ${DEFAULT-VALUE})")
    int sampleEvery;

    @Option(names = "--drain-wait", defaultValue = "30s", converter = DurationConverter.class,
            description = "after the last stage, how long to wait for followed records' results (default: ${DEFAULT-VALUE})")
    Duration drainWait;

    @Option(names = "--seed", defaultValue = "1", description = "generator seed of the first stage (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.json",
            description = "the JSON report; the chart goes next to it as .png (default: .millrace/stress/PIPELINE-TIME.json)")
    Path outFile;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Stage> plan;
        try {
            plan = Stage.parse(stages);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (sampleEvery < 1) {
            throw new UserError("--sample-every must be at least 1, got " + sampleEvery);
        }
        MillraceHome home = MillraceHome.resolve();
        Map<String, String> flags = new LinkedHashMap<>();
        if (start) {
            // Its own group, checkpoints and transactions: a stress run neither resumes nor disturbs `run`'s.
            flags.put(CommonSettings.GROUP_ID, "millrace-" + pipeline + "-stress");
            flags.put("sink.transactional-id-prefix", "millrace-" + pipeline + "-stress");
            flags.put(CommonSettings.CHECKPOINT_DIR.name(), home.checkpoints(pipeline + "-stress").toUri().toString());
            flags.put(CommonSettings.STARTING_OFFSETS.name(), "latest");
            flags.put(CommonSettings.PARALLELISM.name(), Integer.toString(parallelism));
        }
        Pipelines.require(pipeline);
        Pipeline p = PipelineSettings.configure(pipeline, home, config, connection, flags, true);
        Path json = outFile != null ? outFile.toAbsolutePath()
                : home.root().resolve("stress").resolve(pipeline + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        StressRun.Options options = new StressRun.Options(plan, stageDuration, findMax, maxExtraStages, sampleEvery, seed,
                drainWait);
        StressReport report;
        if (start) {
            deleteTree(home.checkpoints(pipeline + "-stress"));
            LocalFlink.LocalJob job = LocalPipelineJob.start(p, Ports.findFree(), false, out);
            try {
                report = new StressRun(p, new FlinkRest(job.webUrl()), job.jobIds(), options, out).run();
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } else {
            FlinkRest rest = new FlinkRest(flinkUrl);
            String jobName = p.jobs().get(0).name();
            String jobId = runningJobs(rest, p);
            if (jobId == null) {
                throw new UserError("no running job " + jobName + " at " + flinkUrl + ": start it with './millrace run "
                        + pipeline + "' in another terminal (or pass --flink-url), or let stress start it with --start");
            }
            out.println("stressing job " + jobId + " (" + jobName + (jobId.contains(",") ? " and the pipeline's other jobs"
                    : "") + ") at " + flinkUrl);
            report = new StressRun(p, rest, jobId, options, out).run();
        }
        out.println();
        out.print(StressTable.render(report));
        Files.createDirectories(json.getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        Path png = chartPath(json);
        StressChart.writePng(report, png);
        out.println("report: " + json);
        out.println("chart:  " + png);
        out.flush();
        return 0;
    }

    /** The chart next to the JSON report: the same name ending in .png. */
    static Path chartPath(Path json) {
        String name = json.getFileName().toString();
        return json.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".png");
    }

    /**
     * The ids (comma-separated) of the pipeline's running jobs at {@code rest}, all of them when it runs as several,
     * or null if none runs or nothing answers.
     */
    private static String runningJobs(FlinkRest rest, Pipeline p) throws InterruptedException {
        try {
            return PipelineObserver.runningJobIds(p, rest.jobs());
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
