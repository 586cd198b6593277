package io.millrace.cli;

import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.config.StreamPipelineConfig;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.StreamGeneratorOptions;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import io.millrace.stack.StackLauncher;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
            completionCandidates = Pipelines.Names.class)
    String pipeline;

    @Option(names = "--rate", defaultValue = "2000", description = "input records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long to generate (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--web-port", defaultValue = "8081", description = "Flink web UI port (default: ${DEFAULT-VALUE})")
    int webPort;

    @Option(names = "--keep-running", description = "keep the pipeline (and its web UI) running after the data is in, until Ctrl-C")
    boolean keepRunning;

    @Option(names = "--seed", defaultValue = "1", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    PipelineFlags pipelineFlags;

    @Override
    public Integer call() throws Exception {
        Pipeline p = Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        StackInfo stack = ensureStack(home, out);
        Settings settings = PipelineSettings.resolve(p.keys(), pipeline, home, new ConfigOptions(), new ConnectionOptions(),
                pipelineFlags.asSettings(pipeline));
        PipelineConfig config = p.config(settings);
        LocalFlink.LocalJob job = LocalPipelineJob.start(p, config, webPort, false, out);

        long start = GeneratorCommand.continuingStart(p, config);
        EventGenerator generator = p.generator(config, new StreamGeneratorOptions(seed, rate, start, 0.1,
                Duration.ofSeconds(3), 0.002, p.lateBy(config), 0.002));
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                job.client().cancel().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Exiting anyway.
            }
        }, "millrace-demo-shutdown"));
        out.printf("Generating %,.0f records/s for %s (10%% out of order, 0.2%% late, 0.2%% malformed)...%n", rate,
                Terminal.duration(duration));
        out.flush();
        CompletableFuture<GeneratorRun.Stats> generated = CompletableFuture.supplyAsync(() -> {
            try (GeneratorProducer producer = new GeneratorProducer(config.kafka().bootstrapServers())) {
                GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, p.mainTopic(config),
                        p.referenceTopic(config), rate, 0, duration, (n, t) -> { }, stop::get);
                GeneratorRun.appendClosing(generator, producer, p.mainTopic(config), p.closingOffset(config));
                return stats;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        boolean interactive = Terminal.interactive();
        JobMonitor.Snapshot last;
        try (JobMonitor monitor = new JobMonitor(p, config, job.webUrl(), job.client().getJobID().toString())) {
            long deadline = Long.MAX_VALUE;
            long drainedAt = Long.MAX_VALUE;
            for (long tick = 0; ; tick++) {
                last = monitor.poll();
                monitor.show(out, last, interactive, tick, 5);
                if (stop.get() || job.client().getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    break;
                }
                if (generated.isDone() && !keepRunning) {
                    long target = p.drainTarget(config, generated.join().maxEventTime());
                    deadline = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
                    if (drainedAt == Long.MAX_VALUE && last.lag() == 0 && last.resultsWatermark() >= target) {
                        drainedAt = System.nanoTime();
                    }
                    // Kafka results become visible when the next checkpoint commits their transaction.
                    long commit = config instanceof StreamPipelineConfig ? 2 * config.checkpointInterval().toNanos() : 0;
                    boolean committed = drainedAt != Long.MAX_VALUE && System.nanoTime() - drainedAt >= commit;
                    if (committed || System.nanoTime() > deadline) {
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
            out.printf("sent %,d records to %s in %.1f s (%,.0f records/s)%n", s.mainRecords(), p.mainTopic(config),
                    s.elapsedNanos() / 1e9, s.ratePerSecond());
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        summary(out, p, config, stack, job.webUrl(), last, pipelineFlags.asArguments());
        return 0;
    }

    private static StackInfo ensureStack(MillraceHome home, PrintWriter out) throws Exception {
        StackInfo stack = StackInfo.read(home.stackFile()).live();
        if (stack.kafka() != null && stack.postgres() != null) {
            out.println("Using the running local stack: Kafka " + stack.kafka().bootstrapServers() + ", PostgreSQL "
                    + stack.postgres().jdbcUrl());
            return stack;
        }
        if (stack.kafka() != null || stack.postgres() != null) {
            throw new UserError("only part of the local stack is running; stop it with ./millrace down and retry");
        }
        out.println("Starting the local stack in the background (Kafka + PostgreSQL, first start takes a few seconds)...");
        out.flush();
        stack = StackLauncher.startDetached(home, List.of(), true, true, Duration.ofSeconds(120));
        UpCommand.printEndpoints(out, home, stack);
        return stack;
    }

    private static void summary(PrintWriter out, Pipeline p, PipelineConfig config, StackInfo stack, String webUrl,
            JobMonitor.Snapshot last, String flags) {
        out.println();
        if (p.usesPostgres()) {
            out.printf("Demo finished: %,d rows in enriched_trades, %,d final sector windows, %,d late trades, %,d dead letters.%n",
                    last.results(), last.finalWindows(), last.late(), Math.max(0, last.deadLetters()));
            out.println("Look at the results:");
            out.println("  ./millrace sql \"SELECT window_start, sector, trade_count, total_volume, vwap FROM sector_metrics "
                    + "ORDER BY window_start DESC, sector LIMIT 12\"");
            out.println("  " + stack.postgres().psqlCommand() + " -c \"SELECT * FROM enriched_trades LIMIT 5\"");
        } else {
            var s = ((StreamPipelineConfig) config).stream();
            out.printf("Demo finished: %,d results, %,d late events, %,d dead letters.%n", Math.max(0, last.results()),
                    Math.max(0, last.late()), Math.max(0, last.deadLetters()));
            out.println("Look at the results:");
            out.println("  ./millrace tail " + s.outputTopic() + "      (and " + s.lateTopic() + ", " + s.dlqTopic() + ")");
        }
        out.println("Check them against an independent recomputation from the input topics:");
        out.println("  ./millrace verify " + p.name() + flags);
        out.println("Run the pipeline with its Flink web UI (" + webUrl + "): ./millrace run " + p.name() + flags);
        out.println("Stop the local stack: ./millrace down");
        out.flush();
    }
}
