package io.millrace.pipeline.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Harness tests of the rolling leaderboards on a worked example (two-minute span, top 2): ranked only once a
 * minute is final, by accesses and by the original's engagement (clicks count 0), ties by content id; minutes
 * that no later ranking can include are removed from state, and no timer is left behind.
 */
class LeaderboardFunctionTest {

    private static final long MINUTE = 60_000;
    private static final long LATENESS = 20_000;

    private KeyedOneInputStreamOperatorTestHarness<Integer, EnrichedEngagement, Leaderboard> harness;
    private long id;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new LeaderboardFunction(MINUTE, LATENESS, 2, 2),
                e -> 0, Types.INT);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** minute {@code m}, second {@code s}. */
    private static long t(int m, int s) {
        return m * MINUTE + s * 1000L;
    }

    private void access(String content, String eventType, String pct, long eventTs) throws Exception {
        EnrichedEngagement e = new EnrichedEngagement(++id, content, "u", eventType, eventTs, null, "ios", "video", 100,
                pct == null ? null : new BigDecimal(pct), eventTs + 500);
        harness.processElement(new StreamRecord<>(e, e.commitTs()));
    }

    /** The minute/content entries the function holds. */
    private List<String> stateKeys() throws Exception {
        AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
        operator.setCurrentKey(0);
        MapState<String, Leaderboard.Score> totals = operator.getKeyedStateStore().getMapState(
                new MapStateDescriptor<>("minute-content-totals", Types.STRING, TypeInformation.of(Leaderboard.Score.class)));
        List<String> keys = new ArrayList<>();
        totals.keys().forEach(keys::add);
        return keys;
    }

    private static String board(Leaderboard b) {
        return b.byAccess().stream().map(s -> s.contentId() + "=" + s.accesses()).toList() + " "
                + b.byEngagement().stream().map(s -> s.contentId() + "=" + s.engagement()).toList();
    }

    @Test
    void ranksTheLastMinutesOnceTheyAreFinal() throws Exception {
        access("A", "play", "50.0000", t(0, 10));
        access("A", "click", null, t(0, 20));
        access("B", "finish", "100.0000", t(0, 30));
        access("C", "pause", "90.0000", t(0, 40));
        access("A", "pause", "25.0000", t(1, 5));

        harness.processWatermark(new Watermark(t(1, 19))); // minute 0 final at 1:19.999
        assertThat(harness.extractOutputValues()).as("nothing before minute 0 is final").isEmpty();

        harness.processWatermark(new Watermark(t(1, 20) - 1));
        List<Leaderboard> first = harness.extractOutputValues();
        assertThat(first).hasSize(1);
        assertThat(board(first.get(0))).isEqualTo("[A=2, B=1] [B=100.0000, C=90.0000]");
        assertThat(first.get(0).windowStart()).isEqualTo(t(-1, 0));
        assertThat(first.get(0).windowEnd()).isEqualTo(t(1, 0));

        harness.processWatermark(new Watermark(t(2, 20) - 1));
        Leaderboard second = harness.extractOutputValues().get(1);
        // A: 50 + 0 + 25 over 3 accesses = 25.0000; B and C tie on one access each: by content id.
        assertThat(board(second)).isEqualTo("[A=3, B=1] [B=100.0000, C=90.0000]");
    }

    @Test
    void forgetsMinutesNoLaterRankingIncludesAndLeavesNoTimers() throws Exception {
        access("A", "play", "10.0000", t(0, 1));
        access("B", "play", "20.0000", t(1, 1));
        access("C", "play", "30.0000", t(2, 1));

        harness.processWatermark(new Watermark(t(3, 20) - 1));

        List<Leaderboard> boards = harness.extractOutputValues();
        assertThat(boards).hasSize(3);
        assertThat(board(boards.get(2))).isEqualTo("[B=1, C=1] [C=30.0000, B=20.0000]");
        // Minute 0 is outside every ranking from minute 2 on: only minutes 1 and 2 remain.
        assertThat(stateKeys()).containsExactlyInAnyOrder(t(1, 0) + "/B", t(2, 0) + "/C");
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
