package io.millrace.function;

import static io.millrace.testing.Fixtures.at;
import static io.millrace.testing.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.LateTrade;
import io.millrace.model.Trade;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Harness tests of the per-partition late gate, including the same decisions after a restore. */
class LateEventGateTest {

    private static final long BOUND = Duration.ofSeconds(5).toMillis();
    private static final long WINDOW = Duration.ofMinutes(1).toMillis();
    private static final long LATENESS = Duration.ofMinutes(5).toMillis();

    private OneInputStreamOperatorTestHarness<Trade, Trade> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = open(null);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static final LateEventGate<Trade, LateTrade> GATE = new LateEventGate<>(TypeInformation.of(Trade.class),
            Trade::timestamp, Trade::partition, BOUND, LatenessRule.tumbling(WINDOW, LATENESS),
            (trade, watermark) -> LateTrade.of(trade, watermark, LateEventGate.REASON), TypeInformation.of(LateTrade.class));

    private static OneInputStreamOperatorTestHarness<Trade, Trade> open(OperatorSubtaskState restore) throws Exception {
        OneInputStreamOperatorTestHarness<Trade, Trade> h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(GATE));
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private void send(Trade trade) throws Exception {
        harness.processElement(new StreamRecord<>(trade, trade.timestamp()));
    }

    private List<String> passed() {
        return harness.extractOutputValues().stream().map(Trade::tradeId).toList();
    }

    private List<LateTrade> late() {
        var records = harness.getSideOutput(GATE.lateTag());
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aTradeIsLateOnceItsPartitionHasMovedPastItsWindowAndTheLateness() throws Exception {
        send(trade("NOW", "AAPL", "1", 1, at("10:56:05"), 0));
        // Partition watermark 10:56:05 - 5 s - 1 ms = 10:55:59.999, the clean-up time of window 10:50.
        send(trade("JUST-TOO-LATE", "AAPL", "1", 1, at("10:50:59.999"), 0));
        send(trade("STILL-OK", "AAPL", "1", 1, at("10:51:00"), 0));

        assertThat(passed()).containsExactly("NOW", "STILL-OK");
        assertThat(late()).extracting(LateTrade::tradeId).containsExactly("JUST-TOO-LATE");
        assertThat(late().get(0).watermark()).isEqualTo(at("10:55:59.999"));
        assertThat(late().get(0).reason()).isEqualTo(LateEventGate.REASON);
    }

    @Test
    void eachPartitionIsJudgedByItsOwnProgress() throws Exception {
        send(trade("AHEAD", "AAPL", "1", 1, at("11:00:00"), 0));
        send(trade("OLD-IN-SLOW-PARTITION", "MSFT", "1", 1, at("10:50:00"), 1));
        send(trade("OLD-IN-FAST-PARTITION", "MSFT", "1", 1, at("10:50:00"), 0));

        assertThat(passed()).containsExactly("AHEAD", "OLD-IN-SLOW-PARTITION");
        assertThat(late()).extracting(LateTrade::tradeId).containsExactly("OLD-IN-FAST-PARTITION");
    }

    @Test
    void aLateTradeDoesNotMoveTheClockAndTheFirstTradeOfAPartitionIsNeverLate() throws Exception {
        send(trade("FIRST", "AAPL", "1", 1, at("09:00:00"), 2));
        send(trade("NEXT", "AAPL", "1", 1, at("09:00:01"), 2));

        assertThat(passed()).containsExactly("FIRST", "NEXT");
        assertThat(late()).isEmpty();
    }

    @Test
    void afterARestoreTheSameTradesAreDecidedTheSameWay() throws Exception {
        send(trade("A", "AAPL", "1", 1, at("11:00:00"), 0));
        send(trade("B", "AAPL", "1", 1, at("11:00:10"), 1));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(snapshot);
        send(trade("REPLAYED-LATE", "AAPL", "1", 1, at("10:50:00"), 0));
        send(trade("REPLAYED-OK", "AAPL", "1", 1, at("10:59:00"), 1));

        assertThat(passed()).containsExactly("REPLAYED-OK");
        assertThat(late()).extracting(LateTrade::tradeId).containsExactly("REPLAYED-LATE");
    }

    @Test
    void aSlidingWindowEventIsLateOnceItsEarliestWindowIsFinal() {
        LatenessRule rule = LatenessRule.sliding(3_000, 1_000, 0);

        // 10:00:05.500 lies in [03, 06), [04, 07), [05, 08): the earliest ends at 10:00:06.
        assertThat(rule.cleanupTime(at("10:00:05.500"))).isEqualTo(at("10:00:05.999"));
        assertThat(rule.cleanupTime(at("10:00:05"))).isEqualTo(at("10:00:05.999"));
        assertThat(LatenessRule.sliding(10_000, 5_000, 0).cleanupTime(at("10:00:04.999"))).isEqualTo(at("10:00:04.999"));
        assertThat(LatenessRule.sliding(10_000, 5_000, 0).cleanupTime(at("10:00:05"))).isEqualTo(at("10:00:09.999"));
    }
}
