package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketEventGenerator;
import io.millrace.pipeline.market.MarketGeneratorOptions;
import io.millrace.pipeline.market.MarketSqlBaseline;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Flink SQL baseline of the benchmark, on clean input (out of order within the bound, no late, duplicated or
 * malformed trades): it must compute what the pipeline computes, or comparing their speed would mean nothing. Both
 * run on the same topics; every window's count, volume and value and every trade's info version must agree.
 */
class MarketSqlBaselineITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @Test
    void baselineWritesTheSameTradesAndWindowsAsThePipeline() throws Exception {
        MarketConfig config = MarketTestRuns.config(STACK, Map.of("checkpoint.dir",
                STACK.checkpoints("market-baseline-pipeline").toUri().toString()));
        long start = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        MarketGeneratorOptions options = new MarketGeneratorOptions(7, 12, 200, start, 0.1, Duration.ofSeconds(3), 0,
                Duration.ofMinutes(10), 0, 0, Duration.ofSeconds(5));
        GeneratorRun.Stats stats;
        MarketEventGenerator generator = new MarketEventGenerator(options);
        TopicAdmin.ensure(config.kafka(), MarketTestRuns.MARKET.topics(config));
        try (GeneratorOutput output = MarketTestRuns.MARKET.generatorOutput(config)) {
            stats = GeneratorRun.run(generator, output, 200, 6_000, null, (n, t) -> { }, () -> false);
            GeneratorRun.appendClosing(generator, output, MarketTestRuns.MARKET.closingOffset(config));
        }

        LocalFlink.LocalJob pipeline = LocalFlink.start("market-for-baseline", 2, Ports.findFree(),
                new CheckpointStore(STACK.checkpoints("market-baseline-pipeline")), true,
                MarketTestRuns.MARKET.jobs(config).get(0)::attach);
        try {
            MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, stats), Duration.ofMinutes(3));
        } finally {
            pipeline.client().cancel().get(60, TimeUnit.SECONDS);
        }
        long trades = MarketTestRuns.rowCount(config, "enriched_trades");
        long windows = MarketTestRuns.rowCount(config, "sector_metrics");
        assertThat(trades).as("trades the pipeline enriched").isGreaterThan(5_000);

        MarketSqlBaseline baseline = new MarketSqlBaseline(config);
        baseline.prepare();
        LocalFlink.LocalJob sql = LocalFlink.start("market-baseline", 2, Ports.findFree(),
                new CheckpointStore(STACK.checkpoints("market-baseline-sql")), true,
                env -> baseline.attach(env, "market-baseline-it"));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!baseline.caughtUp() && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(baseline.caughtUp()).as("the baseline wrote as many rows as the pipeline").isTrue();
            // Flushes of the last windows may still be on their way; a second look after one flush interval.
            Thread.sleep(1500);
        } finally {
            sql.client().cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(baseline.mainRows()).isEqualTo(trades);
        assertThat(count(config, "SELECT count(*) FROM " + MarketSqlBaseline.METRICS_TABLE)).isEqualTo(windows);
        assertThat(baseline.agreement()).isEqualTo(String.format("%,d of %,d windows with the same count, volume and "
                + "value; %,d of %,d trades with the same info version", windows, windows, trades, trades));
    }

    private static long count(MarketConfig config, String sql) throws Exception {
        try (Connection db = config.postgres().connection().open(); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
