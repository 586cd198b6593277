package io.millrace.e2e;

import io.millrace.config.MarketConfig;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.job.JobSetup;
import io.millrace.job.MarketJob;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.Horizons;
import io.millrace.verify.MarketVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Shared steps of the market ITCases: configure, generate, run on a MiniCluster, wait until drained, verify. */
final class MarketTestRuns {

    private MarketTestRuns() {}

    static MarketConfig config(LocalStackExtension stack, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", stack.kafka(),
                "postgres.url", stack.postgresUrl(),
                "checkpoint.dir", stack.checkpoints("market").toUri().toString(),
                "checkpoint.interval", "1s",
                "parallelism", "2"));
        settings.putAll(overrides);
        return MarketConfig.with(settings);
    }

    /** Writes {@code count} trade records at {@code rate}, with every kind of disorder, then closing events. */
    static GeneratorRun.Stats generate(MarketConfig config, long seed, long start, long count, double rate)
            throws Exception {
        MarketGeneratorOptions options = new MarketGeneratorOptions(seed, 10, rate, start, 0.1, Duration.ofSeconds(3),
                0.005, config.windowSize().plus(config.allowedLateness()).plus(Duration.ofMinutes(1)), 0.005, 0.005,
                Duration.ofSeconds(1));
        MarketEventGenerator generator = new MarketEventGenerator(options);
        try (GeneratorProducer producer = new GeneratorProducer(config.kafka().bootstrapServers())) {
            GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, config.tradesTopic(), config.infoTopic(),
                    rate, count, null, (n, t) -> { }, () -> false);
            GeneratorRun.appendClosing(generator, producer, config.tradesTopic(), MarketEventGenerator.closingOffset(config));
            return stats;
        }
    }

    static LocalFlink.LocalJob start(LocalStackExtension stack, MarketConfig config) throws Exception {
        return LocalFlink.start(MarketJob.NAME, config.parallelism(), Ports.findFree(),
                new CheckpointStore(stack.checkpoints("market")), false, env -> {
                    JobSetup.configure(env, config.parallelism(), config.checkpointInterval(), config.checkpointDir(), config.stateBackend());
                    MarketJob.attach(env, config);
                });
    }

    /** Until the group has committed all input and both metric sinks have flushed past {@code target}. */
    static void awaitDrained(MarketConfig config, long target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                long lag = ConsumerLag.lag(admin, config.groupId(), List.of(config.tradesTopic(), config.infoTopic()));
                Map<String, Long> horizons = Map.of();
                try (Connection db = config.postgres().open()) {
                    horizons = Horizons.read(db, MarketConfig.PIPELINE);
                } catch (SQLException e) {
                    // The database may be down in an outage test: try again.
                }
                if (lag == 0 && horizons.getOrDefault("enriched_trades", Long.MIN_VALUE) >= target
                        && horizons.getOrDefault("sector_metrics", Long.MIN_VALUE) >= target) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        throw new AssertionError("the pipeline did not drain within " + timeout.toSeconds() + " s");
    }

    static long target(MarketConfig config, GeneratorRun.Stats stats) {
        return stats.maxEventTime() + config.maxWait().toMillis() + config.windowSize().toMillis();
    }

    static MarketVerifier.Result verify(MarketConfig config) throws Exception {
        StringWriter report = new StringWriter();
        MarketVerifier.Result result = MarketVerifier.verify(config, Duration.ofSeconds(30), new PrintWriter(report));
        System.out.println(report);
        return result;
    }
}
