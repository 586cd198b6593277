package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.config.Settings;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.job.MarketJob;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code millrace gen market}: trades and symbol info for the market pipeline. */
@Command(name = "market", mixinStandardHelpOptions = true,
        description = "Write stock-info (all symbols first, then periodic updates) and stock-trades. Event time "
                + "advances 1/rate per trade record from --start-time, so a seed and start time give the same records.")
final class GenMarketCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ConfigOptions config;

    @Option(names = "--rate", defaultValue = "1000", description = "trade records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--count", description = "stop after this many trade records")
    long count;

    @Option(names = "--duration", converter = DurationConverter.class, description = "stop after this long, e.g. 60s, 10m")
    Duration duration;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--symbols", defaultValue = "8",
            description = "number of symbols: the 8 of the original, then synthetic ones (default: ${DEFAULT-VALUE})")
    int symbols;

    @Option(names = "--out-of-order-fraction", defaultValue = "0.1",
            description = "share of trades delayed by up to --max-delay (default: ${DEFAULT-VALUE})")
    double outOfOrderFraction;

    @Option(names = "--max-delay", defaultValue = "3s", converter = DurationConverter.class,
            description = "largest out-of-order delay (default: ${DEFAULT-VALUE})")
    Duration maxDelay;

    @Option(names = "--late-fraction", defaultValue = "0",
            description = "share of trades so late (window + allowed lateness + a minute) they go to late_trades")
    double lateFraction;

    @Option(names = "--bad-fraction", defaultValue = "0", description = "share of malformed or invalid records")
    double badFraction;

    @Option(names = "--duplicate-fraction", defaultValue = "0", description = "share of re-sent earlier trades")
    double duplicateFraction;

    @Option(names = "--info-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "event time between info updates (one symbol each, round robin; default: ${DEFAULT-VALUE})")
    Duration infoInterval;

    @Option(names = "--start-time", description = "event time of the first record: epoch ms or ISO-8601 (default: now, "
            + "or just after the newest event already in the topic if that is later)")
    String startTime;

    @Option(names = "--close", description = "finally, append one trade per partition far enough ahead that "
            + "every window and held trade becomes final (verify then reports nothing pending)")
    boolean close;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = PipelineSettings.resolve(MarketConfig.keys(), MarketConfig.PIPELINE, MillraceHome.resolve(),
                config, connection, Map.of());
        PipelineSettings.requireEndpoints(settings, false);
        MarketConfig market = MarketConfig.from(settings);
        TopicAdmin.ensure(market.kafka(), MarketJob.topics(market));
        long start = startTime == null ? GenStreamCommand.continuingStart(Pipelines.require("market"), market)
                : parseTime(startTime);
        MarketGeneratorOptions options = options(market, start);

        out.printf("gen market: %,.0f records/s%s%s, seed %d, %d symbols, event time from %s%n", rate,
                count > 0 ? String.format(", %,d records", count) : "",
                duration != null ? ", for " + Terminal.duration(duration) : (count > 0 ? "" : ", until Ctrl-C"),
                seed, symbols, Instant.ofEpochMilli(start));
        out.flush();
        MarketEventGenerator generator = new MarketEventGenerator(options);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (GeneratorProducer producer = new GeneratorProducer(market.kafka().bootstrapServers())) {
            ProgressBar bar = new ProgressBar(err, "gen market", count, duration);
            GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, market.tradesTopic(), market.infoTopic(), rate,
                    count, duration, bar, stop::get);
            bar.finish();
            printSummary(out, market, stats);
            if (close) {
                int partitions = GeneratorRun.appendClosing(generator, producer, market.tradesTopic(), MarketEventGenerator.closingOffset(market));
                out.printf("closing events: %d (one per %s partition) at %s; every window before it will close%n",
                        partitions, market.tradesTopic(),
                        Instant.ofEpochMilli(Math.max(stats.maxEventTime(), start) + MarketEventGenerator.closingOffset(market).toMillis()));
            }
        } finally {
            finished.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    MarketGeneratorOptions options(MarketConfig market, long start) {
        Duration lateBy = market.windowSize().plus(market.allowedLateness()).plus(market.outOfOrderness())
                .plus(Duration.ofMinutes(1));
        return new MarketGeneratorOptions(seed, symbols, rate, start, outOfOrderFraction, maxDelay, lateFraction, lateBy,
                badFraction, duplicateFraction, infoInterval);
    }

    static void printSummary(PrintWriter out, MarketConfig market, GeneratorRun.Stats stats) {
        out.printf("sent %,d records to %s (%,d on time, %,d out of order, %,d late, %,d duplicates, %,d malformed) "
                        + "and %,d to %s in %.1f s (%,.0f records/s)%n",
                stats.mainRecords(), market.tradesTopic(), stats.count(Kind.TRADE), stats.count(Kind.OUT_OF_ORDER),
                stats.count(Kind.LATE), stats.count(Kind.DUPLICATE), stats.count(Kind.BAD), stats.count(Kind.INFO),
                market.infoTopic(), stats.elapsedNanos() / 1e9, stats.ratePerSecond());
        out.flush();
    }

    static long parseTime(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (RuntimeException e2) {
                throw new UserError("--start-time takes epoch milliseconds or an ISO-8601 instant, got '" + value + "'");
            }
        }
    }
}
