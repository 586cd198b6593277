package io.millrace.function;

import static io.millrace.testing.Fixtures.at;
import static io.millrace.testing.Fixtures.info;
import static io.millrace.testing.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Harness tests of event-time enrichment: waiting, version choice, max-wait fallback, state and timer clean-up. */
class TradeEnrichmentFunctionTest {

    private static final long MAX_WAIT = Duration.ofSeconds(30).toMillis();
    private static final long WINDOW = Duration.ofMinutes(1).toMillis();
    private static final long LATENESS = Duration.ofMinutes(5).toMillis();

    private KeyedTwoInputStreamOperatorTestHarness<String, Trade, MarketInfo, EnrichedTrade> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness(true, true);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** An opened harness. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, Trade, MarketInfo, EnrichedTrade> newHarness(
            boolean eventTime, boolean dedup) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new TradeEnrichmentFunction(eventTime, MAX_WAIT, WINDOW, LATENESS, dedup),
                Trade::symbol, MarketInfo::symbol, Types.STRING);
    }

    private void send(Trade trade) throws Exception {
        harness.processElement1(new StreamRecord<>(trade, trade.timestamp()));
    }

    private void send(MarketInfo info) throws Exception {
        harness.processElement2(new StreamRecord<>(info, info.timestamp()));
    }

    private void watermark(long timestamp) throws Exception {
        harness.processBothWatermarks(new Watermark(timestamp));
    }

    private List<EnrichedTrade> output() {
        return harness.extractOutputValues();
    }

    private List<String> sectorsById() {
        return output().stream().map(e -> e.tradeId() + ":" + e.sector()).collect(Collectors.toList());
    }

    @Test
    void holdsATradeUntilTheWatermarkPassesItsTime() throws Exception {
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        send(trade("T1", "AAPL", "178.35", 10, at("10:50:05")));
        watermark(at("10:50:04.999"));

        assertThat(output()).isEmpty();

        watermark(at("10:50:05"));

        assertThat(output()).containsExactly(new EnrichedTrade("T1", "AAPL", new java.math.BigDecimal("178.35"), 10,
                at("10:50:05"), "AAPL Inc.", "Technology", 100L, at("10:00:00"), new java.math.BigDecimal("1783.50"), true));
    }

    @Test
    void choosesTheInfoVersionValidAtTheTradesEventTimeNotTheNewest() throws Exception {
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        send(info("AAPL", "Hardware", 200, at("10:50:10")));
        send(trade("BEFORE", "AAPL", "1", 1, at("10:50:09.999")));
        send(trade("EXACT", "AAPL", "1", 1, at("10:50:10")));
        send(trade("AFTER", "AAPL", "1", 1, at("10:50:30")));
        watermark(at("10:51:00"));

        assertThat(sectorsById()).containsExactly("BEFORE:Technology", "EXACT:Hardware", "AFTER:Hardware");
    }

    @Test
    void aLaterRecordWithTheSameInfoTimestampWins() throws Exception {
        send(info("AAPL", "First", 1, at("10:00:00")));
        send(info("AAPL", "Second", 2, at("10:00:00")));
        send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
        watermark(at("10:00:02"));

        assertThat(sectorsById()).containsExactly("T1:Second");
    }

    @Test
    void aTradeBeforeAnyInfoWaitsForALateVersionThenFallsBackToUnknownAfterMaxWait() throws Exception {
        send(trade("EARLY", "NEW", "5", 2, at("10:00:00")));
        send(trade("STILL", "NEW", "5", 2, at("10:00:10")));
        watermark(at("10:00:20"));
        assertThat(output()).isEmpty();

        // A version valid at 10:00:05 shows up late: only the trade at 10:00:10 may use it.
        send(info("NEW", "Energy", 7, at("10:00:05")));
        assertThat(sectorsById()).containsExactly("STILL:Energy");

        watermark(at("10:00:29.999"));
        assertThat(output()).hasSize(1);
        watermark(at("10:00:30"));

        EnrichedTrade unknown = output().get(1);
        assertThat(unknown.tradeId()).isEqualTo("EARLY");
        assertThat(unknown.sector()).isEqualTo(EnrichedTrade.UNKNOWN_SECTOR);
        assertThat(unknown.enriched()).isFalse();
        assertThat(unknown.company()).isNull();
        assertThat(unknown.marketCap()).isNull();
        assertThat(unknown.infoTimestamp()).isNull();
        assertThat(unknown.tradeValue()).isEqualByComparingTo("10");
    }

    @Test
    void aTradeWhoseTimeTheWatermarkAlreadyPassedIsJoinedAtOnce() throws Exception {
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        watermark(at("10:55:00"));
        send(trade("LATE-BUT-OK", "AAPL", "1", 1, at("10:50:30")));

        assertThat(sectorsById()).containsExactly("LATE-BUT-OK:Technology");
    }

    @Test
    void countsADuplicateTradeIdOnce() throws Exception {
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
        send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
        watermark(at("10:00:05"));
        send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
        watermark(at("10:01:00"));

        assertThat(sectorsById()).containsExactly("T1:Technology");
    }

    @Test
    void withoutDedupEveryDeliveryIsEmitted() throws Exception {
        harness.close();
        harness = newHarness(true, false);
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
        send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
        watermark(at("10:00:05"));

        assertThat(sectorsById()).containsExactly("T1:Technology", "T1:Technology");
    }

    @Test
    void cleansUpTradesTimersAndOldVersionsOnceNothingCanNeedThem() throws Exception {
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        send(info("AAPL", "Technology", 101, at("10:02:00")));
        send(info("MSFT", "Technology", 300, at("10:00:00")));
        send(trade("T1", "AAPL", "1", 1, at("10:01:00")));
        send(trade("T2", "MSFT", "1", 1, at("10:01:30")));
        send(trade("T3", "NOINFO", "1", 1, at("10:01:40")));
        assertThat(harness.numEventTimeTimers()).isGreaterThan(0);

        // Past every window's cleanup time (10:01:59.999 + 5 min) and every max-wait.
        watermark(at("10:20:00"));

        assertThat(output()).hasSize(3);
        assertThat(harness.numEventTimeTimers()).isZero();
        // Only the newest info version per symbol remains (reference data), nothing per trade.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void latestModeJoinsWithTheNewestVersionOnArrival() throws Exception {
        harness.close();
        harness = newHarness(false, true);
        send(info("AAPL", "Old", 1, at("10:00:00")));
        send(info("AAPL", "New", 2, at("10:30:00")));
        send(trade("T1", "AAPL", "1", 1, at("10:10:00")));

        assertThat(sectorsById()).containsExactly("T1:New");
    }

    @Test
    void oneTimerReleasesEveryWaitingTradeTheWatermarkPassedAndTheNextOneIsSetForTheEarliestLeft() throws Exception {
        harness.close();
        harness = newHarness(true, false);
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        int versionTimers = harness.numEventTimeTimers();
        for (int i = 0; i < 50; i++) {
            send(trade("T" + i, "AAPL", "1", 1, at("10:01:00") + i * 100L));
        }
        assertThat(harness.numEventTimeTimers()).as("one timer for 50 waiting trades").isEqualTo(versionTimers + 1);

        // Out of order: an earlier trade gets its own timer.
        send(trade("EARLY", "AAPL", "1", 1, at("10:00:59")));
        assertThat(harness.numEventTimeTimers()).isEqualTo(versionTimers + 2);

        // Up to T24: EARLY and T0..T24 are released, at once, in time order; one timer waits for T25.
        watermark(at("10:01:00") + 24 * 100L);
        assertThat(output()).extracting(EnrichedTrade::tradeId).containsExactlyElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("EARLY"),
                        java.util.stream.IntStream.range(0, 25).mapToObj(i -> "T" + i)).toList());
        assertThat(harness.numEventTimeTimers()).isEqualTo(versionTimers + 1);

        watermark(at("10:02:00"));
        assertThat(output()).hasSize(51);
        assertThat(harness.numEventTimeTimers()).isEqualTo(versionTimers);
    }

    /** A harness restored from {@code snapshot}, running {@code function}. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, Trade, MarketInfo, EnrichedTrade> restored(
            TradeEnrichmentFunction function, OperatorSubtaskState snapshot) throws Exception {
        var restored = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(function),
                Trade::symbol, MarketInfo::symbol, Types.STRING);
        restored.setup();
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    @Test
    void rememberedTradeIdsSurviveARestoreInBothStateLayouts() throws Exception {
        for (boolean heapState : new boolean[] {true, false}) {
            harness.close();
            harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                    new TradeEnrichmentFunction(true, MAX_WAIT, WINDOW, LATENESS, true, heapState),
                    Trade::symbol, MarketInfo::symbol, Types.STRING);
            send(info("AAPL", "Technology", 100, at("10:00:00")));
            send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
            send(trade("T2", "AAPL", "1", 1, at("10:03:01")));
            watermark(at("10:04:00"));
            OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
            harness.close();

            // Restored into the same layout, and into the heap layout (state of the map layout, or of a version
            // before the sets, must still count).
            harness = restored(new TradeEnrichmentFunction(true, MAX_WAIT, WINDOW, LATENESS, true, true), snapshot);
            send(trade("T1", "AAPL", "1", 1, at("10:00:01")));
            send(trade("T2", "AAPL", "1", 1, at("10:00:02")));
            send(trade("T3", "AAPL", "1", 1, at("10:03:30")));
            watermark(at("10:05:00"));
            assertThat(sectorsById()).as("heap state " + heapState).containsExactly("T3:Technology");

            // Once every window's clean-up time has passed, nothing of the ids is left.
            watermark(at("10:30:00"));
            assertThat(harness.numKeyedStateEntries()).as("heap state " + heapState).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void releasesTradesOfOneBucketThatTheWatermarkPassedInTimeOrderAndKeepsTheRest() throws Exception {
        harness.close();
        harness = newHarness(true, false);
        send(info("AAPL", "Technology", 100, at("10:00:00")));
        long base = at("10:01:00");
        // Within one bucket and across the next, out of order; B and C share a time and keep their arrival order.
        send(tradeAt("E", base + 90));
        send(tradeAt("B", base + 30));
        send(tradeAt("C", base + 30));
        send(tradeAt("A", base + 10));
        send(tradeAt("F", base + 130));
        send(tradeAt("D", base + 60));

        watermark(base + 60);
        assertThat(output()).extracting(EnrichedTrade::tradeId).containsExactly("A", "B", "C", "D");
        watermark(base + 89);
        assertThat(output()).hasSize(4);
        watermark(base + 200);
        assertThat(output()).extracting(EnrichedTrade::tradeId).containsExactly("A", "B", "C", "D", "E", "F");
        assertThat(harness.numKeyedStateEntries()).as("only the info version").isEqualTo(1);
    }

    private static Trade tradeAt(String id, long timestamp) {
        return trade(id, "AAPL", "1", 1, timestamp);
    }
}
