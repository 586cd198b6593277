package io.millrace.function;

import static io.millrace.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.LateTrade;
import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partial sector totals: what is sent when, totals against a plain sum, late trades, nothing held over a barrier. */
class SectorMetricsPreAggregatorTest {

    private static final long WINDOW = Duration.ofMinutes(1).toMillis();
    private static final long LATENESS = Duration.ofMinutes(5).toMillis();
    private static final OutputTag<LateTrade> LATE = new OutputTag<>("late", TypeInformation.of(LateTrade.class));

    private OneInputStreamOperatorTestHarness<EnrichedTrade, SectorWindowPartial> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new SectorMetricsPreAggregator(WINDOW, LATENESS, LATE));
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static EnrichedTrade trade(String id, String sector, String price, long volume, long time) {
        Trade trade = new Trade(id, "S" + sector, new BigDecimal(price), volume, time, 0);
        return EnrichedTrade.joined(trade, new MarketInfo("S" + sector, "Co", sector, 1, 0));
    }

    private void send(EnrichedTrade trade) throws Exception {
        harness.processElement(new StreamRecord<>(trade, trade.tradeTimestamp()));
    }

    private List<SectorWindowPartial> partials() {
        return harness.extractOutputValues();
    }

    @Test
    void sendsOnePartialPerSectorWindowBeforeForwardingTheWatermark() throws Exception {
        send(trade("a", "Tech", "10.5", 2, at("10:00:01")));
        send(trade("b", "Tech", "0.25", 4, at("10:00:59.999")));
        send(trade("c", "Energy", "3", 1, at("10:00:30")));
        send(trade("d", "Tech", "7", 1, at("10:01:00")));
        assertThat(harness.getOutput()).as("nothing before a watermark").isEmpty();

        harness.processWatermark(new Watermark(at("10:00:40")));

        List<Object> output = new ArrayList<>(harness.getOutput());
        assertThat(output).hasSize(4);
        assertThat(output.get(3)).isEqualTo(new Watermark(at("10:00:40")));
        assertThat(partials()).containsExactlyInAnyOrder(
                new SectorWindowPartial("Tech", at("10:00:00"), at("10:00:59.999"), new SectorAccumulator(2, 6,
                        new BigDecimal("22.00"), new BigDecimal("10.75"), new BigDecimal("0.25"), new BigDecimal("10.5"))),
                new SectorWindowPartial("Energy", at("10:00:00"), at("10:00:30"), new SectorAccumulator(1, 1,
                        new BigDecimal("3"), new BigDecimal("3"), new BigDecimal("3"), new BigDecimal("3"))),
                new SectorWindowPartial("Tech", at("10:01:00"), at("10:01:00"), new SectorAccumulator(1, 1,
                        new BigDecimal("7"), new BigDecimal("7"), new BigDecimal("7"), new BigDecimal("7"))));

        // Sent once: the next watermark sends only what came since.
        harness.processWatermark(new Watermark(at("10:00:50")));
        assertThat(partials()).hasSize(3);
    }

    @Test
    void partialsAddUpToThePlainSumOfEveryTrade() throws Exception {
        Random random = new Random(3);
        Map<String, SectorAccumulator> expected = new HashMap<>();
        long time = at("10:00:00");
        for (int i = 0; i < 5_000; i++) {
            time += random.nextInt(50);
            String sector = "S" + random.nextInt(4);
            EnrichedTrade trade = trade("t" + i, sector, random.nextInt(100_000) + "." + random.nextInt(100), 1
                    + random.nextInt(500), time);
            send(trade);
            String key = sector + "@" + EventTimeWindows.windowStart(time, WINDOW);
            expected.merge(key, SectorAccumulator.EMPTY.add(trade.price(), trade.volume(), trade.tradeValue()),
                    SectorAccumulator::merge);
            if (i % 700 == 0) {
                harness.processWatermark(new Watermark(time - 1000));
            }
        }
        harness.processWatermark(new Watermark(time + 1));

        Map<String, SectorAccumulator> merged = new HashMap<>();
        for (SectorWindowPartial p : partials()) {
            merged.merge(p.sector() + "@" + p.windowStart(), p.totals(), SectorAccumulator::merge);
        }
        assertThat(merged.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, totals) -> {
            SectorAccumulator got = merged.get(key);
            assertThat(got.count()).isEqualTo(totals.count());
            assertThat(got.volume()).isEqualTo(totals.volume());
            assertThat(got.value()).isEqualByComparingTo(totals.value());
            assertThat(got.priceSum()).isEqualByComparingTo(totals.priceSum());
            assertThat(got.minPrice()).isEqualByComparingTo(totals.minPrice());
            assertThat(got.maxPrice()).isEqualByComparingTo(totals.maxPrice());
        });
    }

    @Test
    void aTradeOfAWindowTheWatermarkClosedIsReportedNotCounted() throws Exception {
        // Clean-up time of [10:00, 10:01) is 10:00:59.999 + 5 min.
        harness.processWatermark(new Watermark(at("10:05:59.999")));
        send(trade("late", "Tech", "1", 1, at("10:00:10")));
        send(trade("kept", "Tech", "1", 1, at("10:01:10")));
        harness.processWatermark(new Watermark(at("10:06:00")));

        assertThat(partials()).extracting(SectorWindowPartial::windowStart).containsExactly(at("10:01:00"));
        assertThat(harness.getSideOutput(LATE)).extracting(StreamRecord::getValue).containsExactly(
                new LateTrade("late", "STech", new BigDecimal("1"), 1, at("10:00:10"), at("10:05:59.999"),
                        SectorMetricsPreAggregator.LATE_REASON));
    }

    @Test
    void sendsEverythingBeforeACheckpointBarrierAndKeepsNoState() throws Exception {
        send(trade("a", "Tech", "1", 1, at("10:00:01")));
        harness.prepareSnapshotPreBarrier(1L);
        assertThat(partials()).hasSize(1);

        var snapshot = harness.snapshot(1L, 1L);
        assertThat(snapshot.getManagedOperatorState()).isEmpty();
        assertThat(snapshot.getManagedKeyedState()).isEmpty();
    }
}
