package io.millrace.function;

import static io.millrace.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.SectorMetrics;
import io.millrace.model.Trade;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Sector metrics: exact totals, means and VWAP, rounding, and merge equal to a single pass. */
class SectorMetricsAggregatorTest {

    private final SectorMetricsAggregator aggregator = new SectorMetricsAggregator();

    private static EnrichedTrade trade(String price, long volume) {
        return EnrichedTrade.unknown(new Trade("t", "X", new BigDecimal(price), volume, at("10:00:00"), 0));
    }

    /** Each trade as its own partial, as a subtask that saw one trade of the window between two watermarks sends it. */
    private SectorAccumulator aggregate(EnrichedTrade... trades) {
        SectorAccumulator acc = aggregator.createAccumulator();
        for (EnrichedTrade trade : trades) {
            SectorAccumulator one = SectorAccumulator.EMPTY.add(trade.price(), trade.volume(), trade.tradeValue());
            acc = aggregator.add(new SectorWindowPartial(trade.sector(), 0, trade.tradeTimestamp(), one), acc);
        }
        return acc;
    }

    @Test
    void computesExactTotalsMeansAndVwap() {
        // 0.1 + 0.2 is exactly 0.3 here; with doubles the totals would drift.
        SectorAccumulator acc = aggregate(trade("0.1", 3), trade("0.2", 1), trade("100.005", 2));
        SectorMetrics m = SectorMetricsWindowFunction.toMetrics("Tech", 0, 60_000, aggregator.getResult(acc), false);

        assertThat(m.tradeCount()).isEqualTo(3);
        assertThat(m.totalVolume()).isEqualTo(6);
        assertThat(m.totalValue()).isEqualByComparingTo("200.510");
        // (0.1 + 0.2 + 100.005) / 3 = 33.435 exactly.
        assertThat(m.avgPrice()).isEqualTo(new BigDecimal("33.43500000"));
        // 200.51 / 6 = 33.418333... rounded half-up to 8 decimals.
        assertThat(m.vwap()).isEqualTo(new BigDecimal("33.41833333"));
        assertThat(m.minPrice()).isEqualByComparingTo("0.1");
        assertThat(m.maxPrice()).isEqualByComparingTo("100.005");
    }

    @Test
    void roundsHalfUp() {
        // (1 + 2 + 2) / 3 prices ... use a mean ending in exactly 5 at the 9th decimal: 0.000000005 / 1.
        SectorAccumulator acc = aggregate(trade("0.000000005", 1));
        SectorMetrics m = SectorMetricsWindowFunction.toMetrics("Tech", 0, 60_000, acc, false);

        assertThat(m.avgPrice()).isEqualTo(new BigDecimal("0.00000001"));
    }

    @Test
    void mergingPartialsEqualsAggregatingEverything() {
        SectorAccumulator left = aggregate(trade("5", 1), trade("1", 2));
        SectorAccumulator right = aggregate(trade("9", 3));

        assertThat(aggregator.merge(left, right)).isEqualTo(aggregate(trade("5", 1), trade("1", 2), trade("9", 3)));
        assertThat(aggregator.merge(aggregator.createAccumulator(), right)).isEqualTo(right);
    }
}
