package io.millrace.cli;

import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.LatestEventTime;
import io.millrace.pipeline.GeneratorSpec;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Service;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code millrace gen PIPELINE}: one command per registered pipeline, with the options every generator
 * shares and the pipeline's own (declared by its {@link GeneratorSpec}).
 */
@Command(mixinStandardHelpOptions = true)
final class GeneratorCommand implements Callable<Integer> {

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

    private final PipelineDefinition<?> definition;

    private GeneratorCommand(PipelineDefinition<?> definition) {
        this.definition = definition;
    }

    /** The {@code gen} subcommand of {@code definition}'s generator, with its own options. */
    static CommandLine of(PipelineDefinition<?> definition) {
        GeneratorSpec generator = definition.generatorSpec();
        CommandLine command = new CommandLine(new GeneratorCommand(definition));
        CommandSpec spec = command.getCommandSpec();
        spec.usageMessage().description(generator.description());
        for (ConfigKey<?> key : generator.options().all()) {
            spec.addOption(OptionSpec.builder("--" + key.name()).type(String.class).paramLabel(key.typeName())
                    .description(key.description() + " (default: " + key.defaultValue() + ")").build());
        }
        return command;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        GeneratorSpec generatorSpec = definition.generatorSpec();
        Settings options = ownOptions(generatorSpec);
        Pipeline p = PipelineSettings.configure(definition.name(), MillraceHome.resolve(), config, connection, Map.of(),
                false);
        // A generator writes to Kafka, or to the source database whose changes the pipeline reads.
        PipelineSettings.requireEndpoints(p.settings(), p.services().contains(Service.CAPTURE)
                ? Set.of(Service.KAFKA, Service.POSTGRES) : Set.of(Service.KAFKA));
        TopicAdmin.ensure(p.config().kafka(), p.topics());
        long start = startTime == null ? continuingStart(p) : parseTime(startTime);
        EventGenerator generator = p.generator(shared(rate, start, p), options);
        StringBuilder details = new StringBuilder();
        for (ConfigKey<?> key : generatorSpec.options().all()) {
            details.append(", ").append(key.name()).append(' ').append(key.format(options.get(key)));
        }
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
        try (GeneratorOutput producer = p.generatorOutput()) {
            String topic = producer.mainTarget();
            String reference = producer.referenceTarget();
            out.printf("gen %s: %,.0f records/s%s%s, seed %d%s, into %s, event time from %s%n", generatorSpec.name(), rate,
                    count > 0 ? String.format(", %,d records", count) : "",
                    duration != null ? ", for " + Terminal.duration(duration) : (count > 0 ? "" : ", until Ctrl-C"),
                    seed, details, reference == null ? topic : topic + " and " + reference, Instant.ofEpochMilli(start));
            out.flush();
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "gen " + generatorSpec.name(), count, duration);
            GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, rate, count, duration, bar, stop::get);
            bar.finish();
            out.printf("sent %,d records to %s (%,d on time, %,d out of order, %,d late, %s%,d malformed)%s in %.1f s "
                            + "(%,.0f records/s)%n", stats.mainRecords(), topic, stats.count(Kind.TRADE),
                    stats.count(Kind.OUT_OF_ORDER), stats.count(Kind.LATE),
                    stats.count(Kind.DUPLICATE) > 0 ? String.format("%,d duplicates, ", stats.count(Kind.DUPLICATE)) : "",
                    stats.count(Kind.BAD),
                    reference == null ? "" : String.format(" and %,d to %s", stats.count(Kind.INFO), reference),
                    stats.elapsedNanos() / 1e9, stats.ratePerSecond());
            if (close) {
                int partitions = GeneratorRun.appendClosing(generator, producer, p.closingOffset());
                if (partitions == 0) {
                    out.println("no closing events needed: minutes close as commit time passes them (the capture's "
                            + "heartbeats carry it)");
                } else {
                    out.printf("closing events: %d (one per partition) at %s; every window before it will close%n", partitions,
                            Instant.ofEpochMilli(Math.max(stats.maxEventTime(), start) + p.closingOffset().toMillis()));
                }
            }
        } finally {
            finished.countDown();
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    private GeneratorOptions shared(double rate, long start, Pipeline p) {
        try {
            return new GeneratorOptions(seed, rate, start, outOfOrderFraction, maxDelay, lateFraction, p.lateBy(),
                    badFraction);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** This generator's own options as given on the command line, parsed and checked like settings. */
    private Settings ownOptions(GeneratorSpec generator) {
        Map<String, String> given = new LinkedHashMap<>();
        for (ConfigKey<?> key : generator.options().all()) {
            String value = spec.findOption("--" + key.name()).getValue();
            if (value != null) {
                given.put(key.name(), value);
            }
        }
        try {
            return Settings.layered(generator.options().all(), null, Map.of(), given);
        } catch (ConfigException e) {
            throw new UserError(e.getMessage().replace("config key '", "option '--"));
        }
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
    static long continuingStart(Pipeline p) {
        long now = System.currentTimeMillis();
        OptionalLong end = LatestEventTime.latestEventTime(p.config().kafka(), p.mainTopic(), p::eventTime);
        return end.isPresent() && end.getAsLong() >= now ? end.getAsLong() + 1000 : now;
    }
}
