package io.millrace.cli;

import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.StreamEnd;
import io.millrace.gen.StreamGeneratorOptions;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options and the run loop shared by every {@code gen} command; subclasses add their own options. */
abstract class GeneratorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ConfigOptions config;

    @Option(names = "--rate", defaultValue = "1000", description = "records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--count", description = "stop after this many records")
    long count;

    @Option(names = "--duration", converter = DurationConverter.class, description = "stop after this long, e.g. 60s, 10m")
    Duration duration;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out-of-order-fraction", defaultValue = "0.1",
            description = "share of records delayed by up to --max-delay (default: ${DEFAULT-VALUE})")
    double outOfOrderFraction;

    @Option(names = "--max-delay", defaultValue = "3s", converter = DurationConverter.class,
            description = "largest out-of-order delay (default: ${DEFAULT-VALUE})")
    Duration maxDelay;

    @Option(names = "--late-fraction", defaultValue = "0",
            description = "share of records so late (window + allowed lateness + a minute) they go to the late sink")
    double lateFraction;

    @Option(names = "--bad-fraction", defaultValue = "0", description = "share of malformed or invalid records")
    double badFraction;

    @Option(names = "--start-time", description = "event time of the first record: epoch ms or ISO-8601 (default: now, "
            + "or just after the newest event already in the topic if that is later)")
    String startTime;

    @Option(names = "--close", description = "finally, append one record per partition far enough ahead that every "
            + "window becomes final (verify then reports nothing pending)")
    boolean close;

    /** The pipeline this generator feeds. */
    abstract Pipeline pipeline();

    /** The generator, given the shared options. */
    abstract EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options);

    /** What the start-up line says about this generator's own options, e.g. ", 8 symbols". */
    String details() {
        return "";
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Pipeline p = pipeline();
        Settings settings = PipelineSettings.resolve(p.keys(), p.name(), MillraceHome.resolve(), config, connection, Map.of());
        PipelineSettings.requireEndpoints(settings, false);
        PipelineConfig c = p.config(settings);
        TopicAdmin.ensure(c.kafka(), p.topics(c));
        long start = startTime == null ? continuingStart(p, c) : parseTime(startTime);
        EventGenerator generator = generator(c, new StreamGeneratorOptions(seed, rate, start, outOfOrderFraction, maxDelay,
                lateFraction, p.lateBy(c), badFraction));
        String topic = p.mainTopic(c);
        String reference = p.referenceTopic(c);
        out.printf("gen %s: %,.0f records/s%s%s, seed %d%s, into %s, event time from %s%n", p.generatorName(), rate,
                count > 0 ? String.format(", %,d records", count) : "",
                duration != null ? ", for " + Terminal.duration(duration) : (count > 0 ? "" : ", until Ctrl-C"),
                seed, details(), reference == null ? topic : topic + " and " + reference, Instant.ofEpochMilli(start));
        out.flush();
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
        try (GeneratorProducer producer = new GeneratorProducer(c.kafka().bootstrapServers())) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "gen " + p.generatorName(), count, duration);
            GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, topic, reference, rate, count, duration, bar,
                    stop::get);
            bar.finish();
            out.printf("sent %,d records to %s (%,d on time, %,d out of order, %,d late, %s%,d malformed)%s in %.1f s "
                            + "(%,.0f records/s)%n", stats.mainRecords(), topic, stats.count(Kind.TRADE),
                    stats.count(Kind.OUT_OF_ORDER), stats.count(Kind.LATE),
                    stats.count(Kind.DUPLICATE) > 0 ? String.format("%,d duplicates, ", stats.count(Kind.DUPLICATE)) : "",
                    stats.count(Kind.BAD),
                    reference == null ? "" : String.format(" and %,d to %s", stats.count(Kind.INFO), reference),
                    stats.elapsedNanos() / 1e9, stats.ratePerSecond());
            if (close) {
                int partitions = GeneratorRun.appendClosing(generator, producer, topic, p.closingOffset(c));
                out.printf("closing events: %d (one per partition) at %s; every window before it will close%n", partitions,
                        Instant.ofEpochMilli(Math.max(stats.maxEventTime(), start) + p.closingOffset(c).toMillis()));
            }
        } finally {
            finished.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
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

    /**
     * Now, unless the topic already holds later event times (closing events of an earlier run): then right
     * after them, so the new records are not late.
     */
    static long continuingStart(Pipeline p, PipelineConfig c) {
        long now = System.currentTimeMillis();
        OptionalLong end = StreamEnd.latestEventTime(c.kafka().bootstrapServers(), p.mainTopic(c), v -> p.eventTime(c, v));
        return end.isPresent() && end.getAsLong() >= now ? end.getAsLong() + 1000 : now;
    }
}
