package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.config.Settings;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import io.millrace.stack.StackLauncher;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace demo}: stack, pipeline and generator in one command, with a live status line; leaves
 * the stack running so the results can be inspected and verified afterwards.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the local stack (in the background, if it is not running), run the pipeline, feed it "
                + "generated data with some disorder, late and malformed records, and show live progress. When the "
                + "generator is done and the pipeline has caught up it stops and tells you how to inspect and verify.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", defaultValue = "market", description = "pipeline: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
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

    @Option(names = "--kafka-output", description = "also publish the results to Kafka topics, exactly once")
    boolean kafkaOutput;

    @Override
    public Integer call() throws Exception {
        Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        StackInfo stack = StackInfo.read(home.stackFile()).live();
        if (stack.kafka() == null || stack.postgres() == null) {
            if (stack.kafka() != null || stack.postgres() != null) {
                throw new UserError("only part of the local stack is running; stop it with ./millrace down and retry");
            }
            out.println("Starting the local stack in the background (Kafka + PostgreSQL, first start takes a few seconds)...");
            out.flush();
            stack = StackLauncher.startDetached(home, List.of(), true, true, Duration.ofSeconds(120));
            UpCommand.printEndpoints(out, home, stack);
        } else {
            out.println("Using the running local stack: Kafka " + stack.kafka().bootstrapServers() + ", PostgreSQL "
                    + stack.postgres().jdbcUrl());
        }
        Settings settings = PipelineSettings.resolve(MarketConfig.keys(), pipeline, home, new ConfigOptions(),
                new ConnectionOptions(), kafkaOutput ? Map.of(MarketConfig.OUTPUT_KAFKA.name(), "true") : Map.of());
        MarketConfig config = MarketConfig.from(settings);
        LocalFlink.LocalJob job = LocalMarketJob.start(config, webPort, false, out);

        long start = GenMarketCommand.continuingStart(config);
        MarketGeneratorOptions options = new MarketGeneratorOptions(seed, 8, rate, start, 0.1, Duration.ofSeconds(3),
                0.002, config.windowSize().plus(config.allowedLateness()).plus(Duration.ofMinutes(1)), 0.002, 0.002,
                Duration.ofSeconds(5));
        MarketEventGenerator generator = new MarketEventGenerator(options);
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.set(true);
            try {
                job.client().cancel().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Exiting anyway.
            }
        }, "millrace-demo-shutdown"));
        out.printf("Generating %,.0f trades/s for %s (10%% out of order, 0.2%% late, 0.2%% duplicated, 0.2%% malformed)...%n",
                rate, Terminal.duration(duration));
        out.flush();
        CompletableFuture<GeneratorRun.Stats> generated = CompletableFuture.supplyAsync(() -> {
            try (GeneratorProducer producer = new GeneratorProducer(config.kafka().bootstrapServers())) {
                GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, config.tradesTopic(), config.infoTopic(),
                        rate, 0, duration, (n, t) -> { }, stop::get);
                GeneratorRun.appendClosing(generator, producer, config.tradesTopic(), MarketEventGenerator.closingOffset(config));
                return stats;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        boolean interactive = Terminal.interactive();
        MarketMonitor.Snapshot last;
        try (MarketMonitor monitor = new MarketMonitor(config, job.webUrl(), job.client().getJobID().toString())) {
            long drainDeadline = Long.MAX_VALUE;
            for (long tick = 0; ; tick++) {
                last = monitor.poll();
                monitor.show(out, last, interactive, tick, 5);
                if (stop.get() || job.client().getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    break;
                }
                if (generated.isDone()) {
                    long target = generated.join().maxTradeTime() + config.maxWait().toMillis() + config.windowSize().toMillis();
                    boolean drained = last.lag() == 0 && last.enrichedHorizon() >= target && last.metricsHorizon() >= target;
                    if (drainDeadline == Long.MAX_VALUE) {
                        drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    }
                    if (!keepRunning && (drained || System.nanoTime() > drainDeadline)) {
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
            GenMarketCommand.printSummary(out, config, generated.join());
        }
        job.client().cancel().get(30, TimeUnit.SECONDS);
        out.printf("%nDemo finished: %,d rows in enriched_trades, %,d final sector windows, %,d late trades, %,d dead letters.%n",
                last.enrichedRows(), last.finalWindows(), last.lateRows(), last.deadLetters());
        out.println("Look at the results:");
        out.println("  ./millrace sql \"SELECT window_start, sector, trade_count, total_volume, vwap FROM sector_metrics "
                + "ORDER BY window_start DESC, sector LIMIT 12\"");
        out.println("  " + stack.postgres().psqlCommand() + " -c \"SELECT * FROM enriched_trades LIMIT 5\"");
        out.println("Check them against an independent recomputation from the input topics:");
        out.println("  ./millrace verify market");
        out.println("Run the pipeline with its Flink web UI (" + job.webUrl() + "): ./millrace run market");
        out.println("Stop the local stack: ./millrace down");
        out.flush();
        return 0;
    }
}
