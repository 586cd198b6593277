package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.config.MarketConfig;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorProducer;
import io.millrace.gen.GeneratorRun;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.job.JobSetup;
import io.millrace.job.MarketJob;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.Horizons;
import io.millrace.verify.MarketVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The market job against the real embedded Kafka and PostgreSQL at parallelism 2: generated input with
 * disorder, late, duplicated and malformed records must pass {@code verify}; so must more input processed
 * after a stop and a resume from the retained checkpoint.
 */
class MarketEndToEndITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    private static MarketConfig config() {
        return MarketConfig.with(Map.of(
                "kafka.bootstrap-servers", STACK.kafka(),
                "postgres.url", STACK.postgresUrl(),
                "checkpoint.dir", STACK.checkpoints("market").toUri().toString(),
                "checkpoint.interval", "1s",
                "parallelism", "2"));
    }

    private static GeneratorRun.Stats generate(MarketConfig config, long seed, long start, long count) throws Exception {
        MarketGeneratorOptions options = new MarketGeneratorOptions(seed, 10, 20_000, start, 0.1, Duration.ofSeconds(3),
                0.005, config.windowSize().plus(config.allowedLateness()).plus(Duration.ofMinutes(1)), 0.005, 0.005,
                Duration.ofSeconds(1));
        MarketEventGenerator generator = new MarketEventGenerator(options);
        try (GeneratorProducer producer = new GeneratorProducer(config.kafka().bootstrapServers())) {
            GeneratorRun.Stats stats = GeneratorRun.run(generator, producer, config.tradesTopic(), config.infoTopic(),
                    options.rate(), count, null, (n, t) -> { }, () -> false);
            GeneratorRun.appendClosing(generator, producer, config.tradesTopic(), MarketEventGenerator.closingOffset(config));
            return stats;
        }
    }

    private static LocalFlink.LocalJob start(MarketConfig config) throws Exception {
        return LocalFlink.start(MarketJob.NAME, 2, Ports.findFree(), new CheckpointStore(STACK.checkpoints("market")), false,
                env -> {
                    JobSetup.configure(env, 2, config.checkpointInterval(), config.checkpointDir());
                    MarketJob.attach(env, config);
                });
    }

    /** Until the group has committed all input and both metric sinks have flushed past {@code target}. */
    private static void awaitDrained(MarketConfig config, long target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()));
                Connection db = config.postgres().open()) {
            while (System.nanoTime() < deadline) {
                long lag = ConsumerLag.lag(admin, config.groupId(), List.of(config.tradesTopic(), config.infoTopic()));
                Map<String, Long> horizons = Horizons.read(db, MarketConfig.PIPELINE);
                if (lag == 0 && horizons.getOrDefault("enriched_trades", Long.MIN_VALUE) >= target
                        && horizons.getOrDefault("sector_metrics", Long.MIN_VALUE) >= target) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the pipeline did not drain within 180 s");
    }

    private static MarketVerifier.Result verify(MarketConfig config) throws Exception {
        StringWriter report = new StringWriter();
        MarketVerifier.Result result = MarketVerifier.verify(config, Duration.ofSeconds(30), new PrintWriter(report));
        System.out.println(report);
        return result;
    }

    @Test
    void generatedInputPassesVerifyBeforeAndAfterAStopAndResume() throws Exception {
        MarketConfig config = config();
        TopicAdmin.ensure(config.kafka(), MarketJob.topics(config));
        long start = System.currentTimeMillis();
        GeneratorRun.Stats first = generate(config, 11, start, 40_000);

        LocalFlink.LocalJob job = start(config);
        awaitDrained(config, first.maxTradeTime() + config.maxWait().toMillis() + config.windowSize().toMillis());
        MarketVerifier.Result before = verify(config);
        job.client().cancel().get(30, TimeUnit.SECONDS);

        assertThat(before.lag()).isZero();
        assertThat(before.differences()).isZero();
        assertThat(before.check("market.dlq").actualCount()).isEqualTo(first.count(Kind.BAD)).isPositive();
        assertThat(before.check("late_trades").actualCount()).isPositive();
        assertThat(before.check("enriched_trades").actualCount())
                .isGreaterThan(first.count(Kind.TRADE) + first.count(Kind.OUT_OF_ORDER) - first.count(Kind.LATE));
        // Only the closing events' own trades and window may still be open.
        assertThat(before.check("enriched_trades").pendingCount()).isLessThanOrEqualTo(4);
        assertThat(before.check("sector_metrics").pendingCount()).isLessThanOrEqualTo(1);

        // More input arrives while the job is down; the resumed job must pick it up from its checkpoint.
        GeneratorRun.Stats second = generate(config, 12,
                first.maxTradeTime() + MarketEventGenerator.closingOffset(config).toMillis() + 1000, 30_000);
        LocalFlink.LocalJob resumed = start(config);
        assertThat(resumed.restoredFrom()).isPresent();
        awaitDrained(config, second.maxTradeTime() + config.maxWait().toMillis() + config.windowSize().toMillis());
        MarketVerifier.Result after = verify(config);
        resumed.client().cancel().get(30, TimeUnit.SECONDS);

        assertThat(after.lag()).isZero();
        assertThat(after.differences()).isZero();
        assertThat(after.check("market.dlq").actualCount()).isEqualTo(first.count(Kind.BAD) + second.count(Kind.BAD));
        assertThat(after.check("enriched_trades").actualCount()).isGreaterThan(before.check("enriched_trades").actualCount());
    }
}
