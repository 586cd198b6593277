package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketDefinition;
import io.millrace.pipeline.market.MarketEventGenerator;
import io.millrace.pipeline.market.MarketGeneratorOptions;
import io.millrace.pipeline.market.MarketVerifier;
import io.millrace.sink.ProgressTable;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import io.millrace.verify.ConsumerLag;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** Shared steps of the market ITCases: configure, generate, run on a MiniCluster, wait until drained, verify. */
final class MarketTestRuns {

    /** The market pipeline's definition: its topics, job and closing offset. */
    static final MarketDefinition MARKET = new MarketDefinition();

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
        try (GeneratorOutput output = MARKET.generatorOutput(config)) {
            GeneratorRun.Stats stats = GeneratorRun.run(generator, output, rate, count, null, (n, t) -> { }, () -> false);
            GeneratorRun.appendClosing(generator, output, MARKET.closingOffset(config));
            return stats;
        }
    }

    static LocalFlink.LocalJob start(LocalStackExtension stack, MarketConfig config) throws Exception {
        return LocalFlink.start(MarketDefinition.JOB_NAME, config.parallelism(), Ports.findFree(),
                new CheckpointStore(stack.checkpoints("market")), false, MARKET.jobs(config).get(0)::attach);
    }

    /** Consumer lag and the two metric sinks' progress watermarks, as one reading. */
    record Progress(long lag, long enrichedTrades, long sectorMetrics) {
        boolean drainedTo(long target) {
            return lag == 0 && enrichedTrades >= target && sectorMetrics >= target;
        }
    }

    /** Until the group has committed all input and both metric sinks have flushed past {@code target}. */
    static void awaitDrained(MarketConfig config, long target, Duration timeout) throws Exception {
        try (Admin admin = config.kafka().admin()) {
            Await.until("the market pipeline to drain (lag 0, both sinks' progress >= " + target + ")", timeout,
                    Duration.ofMillis(500), () -> {
                        long lag = ConsumerLag.lag(admin, config.groupId(), List.of(config.tradesTopic(), config.infoTopic()));
                        // The database may be down in an outage test: the reading fails and is retried.
                        try (Connection db = config.postgres().connection().open()) {
                            Map<String, Long> horizons = ProgressTable.read(db, MarketConfig.PIPELINE);
                            return new Progress(lag, horizons.getOrDefault("enriched_trades", Long.MIN_VALUE),
                                    horizons.getOrDefault("sector_metrics", Long.MIN_VALUE));
                        }
                    }, p -> p.drainedTo(target));
        }
    }

    /** Rows in one of the pipeline's tables (its name is one of the sink's constants, never user input). */
    static long rowCount(MarketConfig config, String table) throws Exception {
        try (Connection db = config.postgres().connection().open(); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
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

    /** What a drained first run of generated input must show: nothing lagging or different, every kind accounted. */
    static void assertFirstRunVerified(MarketVerifier.Result before, GeneratorRun.Stats first) {
        assertThat(before.lag()).isZero();
        assertThat(before.differences()).isZero();
        assertThat(before.check("market.dlq").actualCount()).isEqualTo(first.count(Kind.BAD)).isPositive();
        assertThat(before.check("late_trades").actualCount()).isPositive();
        assertThat(before.check("enriched_trades").actualCount())
                .isGreaterThan(first.count(Kind.TRADE) + first.count(Kind.OUT_OF_ORDER) - first.count(Kind.LATE));
        // Only the closing events' own trades and window may still be open.
        assertThat(before.check("enriched_trades").pendingCount()).isLessThanOrEqualTo(4);
        assertThat(before.check("sector_metrics").pendingCount()).isLessThanOrEqualTo(1);
    }
}
