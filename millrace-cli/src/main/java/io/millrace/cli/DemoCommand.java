package io.millrace.cli;

import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.Service;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.SinkSpec;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import io.millrace.stack.StackLauncher;
import io.millrace.stress.LatencyTracker;
import io.millrace.stress.StageResult;
import io.millrace.web.DashboardServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace demo}: stack, pipeline and generator in one command, with a live status line; leaves
 * the stack running so the results can be inspected and verified afterwards.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the local stack (in the background, if it is not running), run a pipeline, feed it "
                + "generated data with some disorder, late and malformed records, and show live progress. When the "
                + "generator is done and the pipeline has caught up it stops and tells you how to inspect and verify.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", defaultValue = "market",
            description = "pipeline: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--rate", defaultValue = "2000", description = "input records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long to generate (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--web-port", defaultValue = "8081", description = "Flink web UI port (default: ${DEFAULT-VALUE})")
    int webPort;

    @Option(names = "--dashboard-port", defaultValue = "8090",
            description = "port of the live dashboard on 127.0.0.1; 0 for any free port, -1 for none (default: ${DEFAULT-VALUE})")
    int dashboardPort;

    @Option(names = "--keep-running", description = "keep the pipeline (and its web UI) running after the data is in, until Ctrl-C")
    boolean keepRunning;

    @Option(names = "--seed", defaultValue = "1", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    PipelineFlags pipelineFlags;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Bound before anything starts, so a taken port fails at once with the option that changes it.
        DashboardServer dashboard = dashboardPort < 0 ? null : DashboardServer.start(dashboardPort, "--dashboard-port");
        try {
            return run(out, dashboard);
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
        }
    }

    private Integer run(PrintWriter out, DashboardServer dashboard) throws Exception {
        MillraceHome home = MillraceHome.resolve();
        PipelineDefinition<?> definition = Pipelines.require(pipeline);
        StackInfo stack = ensureStack(home, definition.services(), out);
        Pipeline p = PipelineSettings.configure(pipeline, home, new ConfigOptions(), new ConnectionOptions(),
                pipelineFlags.asSettings(definition), true);
        LocalFlink.LocalJob job = LocalPipelineJob.start(p, webPort, false, out, dashboard);

        long start = GeneratorCommand.continuingStart(p);
        EventGenerator generator = p.generator(new GeneratorOptions(seed, rate, start, 0.1, Duration.ofSeconds(3), 0.002,
                p.lateBy(), 0.002), faultOptions(definition));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> destination = new AtomicReference<>(p.mainTopic());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                job.cancel().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Exiting anyway.
            }
        }, "millrace-demo-shutdown"));
        out.printf("Generating %,.0f records/s for %s (10%% out of order, 0.2%% late, 0.2%% malformed)...%n", rate,
                Terminal.duration(duration));
        out.flush();
        // With a dashboard, about 100 generated records a second are followed to their results for its latency chart.
        LatencyTracker latency = dashboard == null ? null : p.latencyProbe()
                .map(probe -> new LatencyTracker(probe, Math.max(1, (int) (rate / 100)))).orElse(null);
        if (latency != null) {
            dashboard.follow(p.name(), latency);
        }
        CompletableFuture<GeneratorRun.Stats> generated = CompletableFuture.supplyAsync(() -> {
            try (GeneratorOutput output = latency == null ? p.generatorOutput() : latency.follow(p.generatorOutput())) {
                destination.set(output.mainTarget());
                GeneratorRun.Stats stats = GeneratorRun.run(generator, output, rate, 0, duration, (n, t) -> { }, stop::get);
                GeneratorRun.appendClosing(generator, output, p.closingOffset());
                return stats;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        boolean interactive = Terminal.interactive();
        JobMonitor.Snapshot last;
        try (JobMonitor monitor = new JobMonitor(p, job.webUrl(), job.jobIds())) {
            long deadline = Long.MAX_VALUE;
            long drainedAt = Long.MAX_VALUE;
            long visibleAfter = ResultsProgress.visibleAfter(p).toNanos();
            for (long tick = 0; ; tick++) {
                last = monitor.poll();
                monitor.show(out, last, interactive, tick, 5);
                if (stop.get() || job.anyEnded()) {
                    break;
                }
                if (generated.isDone() && !keepRunning) {
                    long maxEventTime = generated.join().maxEventTime();
                    long target = p.drainTarget(maxEventTime);
                    // A pipeline whose clock is commit time waits for the clock to pass the last minute's lateness.
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(120)
                            + TimeUnit.MILLISECONDS.toNanos(Math.max(0, target - maxEventTime)));
                    if (drainedAt == Long.MAX_VALUE && monitor.lagBehindInputAtFirstCall() == 0
                            && last.resultsWatermark() >= target) {
                        drainedAt = System.nanoTime();
                    }
                    boolean visible = drainedAt != Long.MAX_VALUE && System.nanoTime() - drainedAt >= visibleAfter;
                    if (visible || System.nanoTime() > deadline) {
                        last = monitor.poll();
                        break;
                    }
                }
                Thread.sleep(1000);
            }
        }
        if (interactive) {
            out.println();
        }
        if (generated.isDone() && !generated.isCompletedExceptionally()) {
            GeneratorRun.Stats s = generated.join();
            out.printf("sent %,d records to %s in %.1f s (%,.0f records/s)%n", s.mainRecords(), destination.get(),
                    s.elapsedNanos() / 1e9, s.ratePerSecond());
        }
        if (latency != null) {
            StageResult.Latency l = latency.latency(0);
            if (l.samples() > 0) {
                out.printf("end-to-end latency of %,d followed records (Kafka timestamp to %s): p50 %,d ms, p99 %,d ms%n",
                        l.samples(), latency.describe(), l.p50(), l.p99());
            }
            latency.close();
        }
        job.cancel().get(30, TimeUnit.SECONDS);
        summary(out, p, job.webUrl(), last, pipelineFlags.asArguments());
        return 0;
    }

    /** The generator's own options that runs with faults use (e.g. duplicated trades), parsed like settings. */
    static Settings faultOptions(PipelineDefinition<?> definition) {
        return Settings.layered(definition.generatorSpec().options().all(), null, Map.of(),
                definition.generatorSpec().faultOptions());
    }

    /** The running local stack, after starting whatever of it the pipeline needs and is not running. */
    static StackInfo ensureStack(MillraceHome home, Set<Service> services, PrintWriter out) throws Exception {
        StackInfo stack = StackInfo.read(home.stackFile()).live();
        Set<Service> missing = EnumSet.noneOf(Service.class);
        services.stream().filter(s -> !stack.has(s)).forEach(missing::add);
        if (missing.isEmpty()) {
            out.println("Using the running local stack: Kafka " + stack.kafka().bootstrapServers()
                    + (stack.postgres() != null ? ", PostgreSQL " + stack.postgres().jdbcUrl() : "")
                    + (stack.redis() != null ? ", Redis " + stack.redis().host() + ":" + stack.redis().port() : "")
                    + (stack.search() != null ? ", OpenSearch " + stack.search().url() : ""));
            return stack;
        }
        List<String> args = new ArrayList<>();
        if (!stack.isEmpty()) {
            // Start only what is missing, next to what runs (e.g. Redis and the capture for a stack started before).
            args.addAll(List.of("--only", missing.stream().map(s -> s.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(","))));
            out.println("Starting " + args.get(1) + " of the local stack in the background...");
        } else {
            missing = EnumSet.allOf(Service.class);
            if (!services.contains(Service.SEARCH)) {
                // The search node costs 30-40 s and up to 1 GB: only for a pipeline that writes a search index.
                missing.remove(Service.SEARCH);
                args.addAll(List.of("--only", missing.stream().map(s -> s.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(","))));
            }
            out.println("Starting the local stack in the background (Kafka, PostgreSQL, Redis, "
                    + (missing.contains(Service.SEARCH) ? "OpenSearch, " : "") + "change capture; "
                    + "the first start takes " + (missing.contains(Service.SEARCH) ? "up to a minute" : "a few seconds") + ")...");
        }
        out.flush();
        StackInfo started = StackLauncher.startDetached(home, args, missing, Duration.ofSeconds(180));
        UpCommand.printEndpoints(out, home, started);
        return started;
    }

    private static void summary(PrintWriter out, Pipeline p, String webUrl, JobMonitor.Snapshot last, List<String> flags) {
        out.println();
        out.println("Demo finished: " + p.sinks().stream()
                .map(s -> JobMonitor.count(last.sink(s.name())) + " in " + s.name())
                .collect(Collectors.joining(", ")) + ".");
        out.println("Look at the results:");
        for (SinkSpec sink : p.sinks()) {
            if (sink.role() == SinkRole.DEAD_LETTERS) {
                continue;
            }
            if (sink instanceof SinkSpec.PostgresTable) {
                out.println("  ./millrace sql \"SELECT * FROM " + sink.name() + " LIMIT 5\"");
            } else if (sink instanceof SinkSpec.SearchIndex index) {
                out.println("  ./millrace search " + p.name() + " \"" + index.exampleQuery() + "\"");
            } else if (sink instanceof SinkSpec.WarehouseTable table) {
                out.println("  ./millrace sql --warehouse \"" + table.exampleQuery() + "\"");
            } else if (sink instanceof SinkSpec.RedisKeys keys) {
                out.println("  ./millrace redis " + keys.keyPatterns().stream().filter(k -> !k.startsWith("millrace:"))
                        .map(k -> "'" + k + "'").collect(Collectors.joining(" ")));
            } else {
                out.println("  ./millrace tail " + sink.name());
            }
        }
        String args = flags.isEmpty() ? "" : " " + String.join(" ", flags);
        out.println("Check them against an independent recomputation from the input:");
        out.println("  ./millrace verify " + p.name() + args);
        out.println("Run the pipeline with its Flink web UI (" + webUrl + ") and live dashboard: ./millrace run " + p.name()
                + args);
        out.println("Stop the local stack: ./millrace down");
        out.flush();
    }
}
