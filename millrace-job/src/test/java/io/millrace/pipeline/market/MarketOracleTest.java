package io.millrace.pipeline.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.pipeline.market.MarketOracle.ExpectedTrade;
import io.millrace.pipeline.market.MarketOracle.ExpectedWindow;
import io.millrace.pipeline.market.MarketOracle.WindowKey;
import io.millrace.verify.InputRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The independent market recomputation on hand-made inputs with known answers. */
class MarketOracleTest {

    private static final long T0 = Instant.parse("2025-11-24T10:50:00Z").toEpochMilli();
    private static final MarketOracle.Rules RULES = new MarketOracle.Rules(60_000, 300_000, 5_000, 30_000, 3_600_000, true);

    private final List<InputRecord> trades = new ArrayList<>();
    private final List<InputRecord> infos = new ArrayList<>();

    private void trade(String json) {
        trades.add(new InputRecord("stock-trades", 0, trades.size(), null, json.getBytes(StandardCharsets.UTF_8)));
    }

    private void info(String symbol, String sector, long cap, long ts) {
        String json = "{\"symbol\":\"" + symbol + "\",\"company\":\"" + symbol + " Inc\",\"sector\":\"" + sector
                + "\",\"market_cap\":" + cap + ",\"info_timestamp\":" + ts + "}";
        infos.add(new InputRecord("stock-info", 0, infos.size(), null, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String t(String id, String symbol, String price, long volume, long ts) {
        return "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + symbol + "\",\"price\":" + price + ",\"volume\":" + volume
                + ",\"trade_timestamp\":" + ts + "}";
    }

    private final Map<String, ExpectedTrade> rows = new LinkedHashMap<>();

    private MarketOracle compute(MarketOracle.Rules rules) {
        MarketOracle oracle = new MarketOracle(infos, rules, T0);
        rows.clear();
        for (InputRecord record : trades) {
            ExpectedTrade row = oracle.expect(record);
            if (row != null) {
                assertThat(rows.put(row.tradeId(), row)).as("one row per trade id").isNull();
            }
        }
        return oracle;
    }

    private MarketOracle compute() {
        return compute(RULES);
    }

    @Test
    void joinsTheVersionValidAtTradeTimeAndAggregatesBySectorWindow() {
        info("AAPL", "Technology", 100, T0);
        info("AAPL", "Technology", 200, T0 + 30_000);
        info("AAPL", "Technology", 300, T0 + 30_000);
        trade(t("A", "AAPL", "178.00", 100, T0 + 5_000));
        trade(t("B", "AAPL", "180.00", 300, T0 + 40_000));
        trade(t("C", "AAPL", "179.00", 200, T0 + 59_999));

        MarketOracle e = compute();

        assertThat(rows.get("A").marketCap()).isEqualTo(100L);
        // Same info_timestamp twice: the later record wins.
        assertThat(rows.get("B").marketCap()).isEqualTo(300L);
        ExpectedWindow w = e.windows().get(new WindowKey(T0, "Technology"));
        assertThat(w.tradeCount()).isEqualTo(3);
        assertThat(w.totalVolume()).isEqualTo(600);
        assertThat(w.totalValue()).isEqualByComparingTo("107600");
        assertThat(w.avgPrice()).isEqualByComparingTo("179.00000000");
        assertThat(w.vwap()).isEqualByComparingTo("179.33333333");
        assertThat(w.closesAt()).isEqualTo(T0 + 59_999);
    }

    @Test
    void tradesWithoutInfoAreUnknownAndCloseOnlyAfterMaxWait() {
        trade(t("X", "NEW", "10", 7, T0 + 1_000));

        MarketOracle oracle = compute();
        ExpectedTrade x = rows.get("X");

        assertThat(x.sector()).isEqualTo("UNKNOWN");
        assertThat(x.enriched()).isFalse();
        assertThat(x.tradeValue()).isEqualByComparingTo("70");
        assertThat(x.closesAt()).isEqualTo(T0 + 31_000);
        assertThat(oracle.windows().get(new WindowKey(T0, "UNKNOWN")).closesAt()).isEqualTo(T0 + 59_999);
    }

    @Test
    void separatesInvalidRecordsDuplicatesAndLateTrades() {
        info("AAPL", "Technology", 100, T0);
        trade(t("A", "AAPL", "1", 1, T0));
        trade(t("A", "AAPL", "1", 1, T0));
        trade(t("L", "AAPL", "1", 1, T0 - 600_000));
        trade("{\"symbol\":\"AAPL\",\"price\":\"1\",\"volume\":1,\"trade_timestamp\":1}");
        trade("{\"symbol\":\"aapl\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}");
        trade("{\"symbol\":\"AAPL\",\"price\":1,\"volume\":1.5,\"trade_timestamp\":1}");
        trade("{\"symbol\":\"AAPL\",\"price\":1,\"volume\":1,\"trade_timestamp\":" + (T0 + 7_200_000) + "}");
        trade("not json");
        trade("{\"symbol\":\"AAPL\",\"price\":2,\"volume\":3,\"trade_timestamp\":" + T0 + "}");

        MarketOracle e = compute();

        assertThat(e.deadLetterOrigins()).containsExactlyInAnyOrder(
                "stock-trades-0-3", "stock-trades-0-4", "stock-trades-0-5", "stock-trades-0-6", "stock-trades-0-7");
        assertThat(e.duplicates()).isEqualTo(1);
        assertThat(e.lateDeliveries()).isEqualTo(1);
        // Partition 0 had reached T0: its watermark T0 - 5.001 s is past L's window end + 5 min.
        assertThat(e.late()).containsOnlyKeys("L");
        assertThat(e.late().get("L").watermark()).isEqualTo(T0 - 5_001);
        assertThat(e.tradeRecords()).isEqualTo(9);
        // Without trade_id the key is topic-partition-offset.
        assertThat(rows.keySet()).containsExactly("A", "stock-trades-0-8");
        assertThat(rows.get("stock-trades-0-8").price()).isEqualTo(new BigDecimal("2"));
    }

    @Test
    void lateIsJudgedPerPartitionAndALateTradeDoesNotAdvanceTheClock() {
        trades.add(new InputRecord("stock-trades", 0, 0, null, t("P0-NOW", "AAPL", "1", 1, T0 + 600_000).getBytes(StandardCharsets.UTF_8)));
        trades.add(new InputRecord("stock-trades", 0, 1, null, t("P0-OLD", "AAPL", "1", 1, T0).getBytes(StandardCharsets.UTF_8)));
        trades.add(new InputRecord("stock-trades", 1, 0, null, t("P1-OLD", "AAPL", "1", 1, T0).getBytes(StandardCharsets.UTF_8)));

        MarketOracle e = compute();

        assertThat(e.late()).containsOnlyKeys("P0-OLD");
        assertThat(rows).containsOnlyKeys("P0-NOW", "P1-OLD");
    }

    @Test
    void withoutDedupEveryDeliveryCountsInTheMetrics() {
        info("AAPL", "Technology", 100, T0);
        trade(t("A", "AAPL", "1", 1, T0));
        trade(t("A", "AAPL", "1", 1, T0));

        MarketOracle e = compute(new MarketOracle.Rules(60_000, 300_000, 5_000, 30_000, 3_600_000, false));

        assertThat(rows).hasSize(1);
        assertThat(e.windows().get(new WindowKey(T0, "Technology")).tradeCount()).isEqualTo(2);
    }
}
