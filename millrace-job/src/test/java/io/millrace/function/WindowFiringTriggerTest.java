package io.millrace.function;

import static io.millrace.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.TriggerTestHarness;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** Early results while open (update mode), one final result at the end, one correction per burst of late elements. */
class WindowFiringTriggerTest {

    private static final TimeWindow WINDOW = new TimeWindow(at("10:00:00"), at("10:00:03"));
    private static final long CORRECTION_MS = 500;

    private static TriggerTestHarness<Object, TimeWindow> harness(WindowFiringTrigger<Object> trigger) throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness = new TriggerTestHarness<>(trigger, new TimeWindow.Serializer());
        harness.advanceProcessingTime(0);
        return harness;
    }

    @Test
    void firesEarlyEveryIntervalWhileOpenThenFinallyAtTheEndAndCleansUp() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness = harness(WindowFiringTrigger.early(1000, CORRECTION_MS));

        assertThat(harness.processElement(new StreamRecord<>("a", at("10:00:01")), WINDOW)).isEqualTo(TriggerResult.CONTINUE);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // No early timer is stacked by more elements; one fires after the interval.
        harness.processElement(new StreamRecord<>("b", at("10:00:02")), WINDOW);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.advanceProcessingTime(999)).isEmpty();
        assertThat(harness.advanceProcessingTime(1000)).containsExactly(Tuple2.of(WINDOW, TriggerResult.FIRE));
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // Without new elements nothing more is fired early; the next element re-arms the interval.
        assertThat(harness.advanceProcessingTime(5000)).isEmpty();
        harness.processElement(new StreamRecord<>("c", at("10:00:02.500")), WINDOW);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        // The watermark reaching the window's end fires the final result.
        assertThat(harness.advanceWatermark(at("10:00:02.999"), WINDOW)).isEqualTo(TriggerResult.FIRE);
        // The early timer armed by "c" finds nothing new: the final result is not repeated.
        assertThat(harness.advanceProcessingTime(6000)).containsExactly(Tuple2.of(WINDOW, TriggerResult.CONTINUE));

        harness.clearTriggerState(WINDOW);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numStateEntries()).isZero();
    }

    @Test
    void onTimeModeFiresOnlyWhenTheWatermarkPassesTheEnd() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness = harness(WindowFiringTrigger.onTime(CORRECTION_MS));

        harness.processElement(new StreamRecord<>("a", at("10:00:01")), WINDOW);
        harness.processElement(new StreamRecord<>("b", at("10:00:02")), WINDOW);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.advanceProcessingTime(60_000)).isEmpty();

        assertThat(harness.advanceWatermark(at("10:00:02.998"))).isEmpty();
        assertThat(harness.advanceWatermark(at("10:00:02.999"), WINDOW)).isEqualTo(TriggerResult.FIRE);
    }

    @Test
    void aBurstOfLateElementsIsFoldedIntoOneCorrection() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness = harness(WindowFiringTrigger.onTime(CORRECTION_MS));
        harness.processElement(new StreamRecord<>("a", at("10:00:01")), WINDOW);
        assertThat(harness.advanceWatermark(at("10:00:10"), WINDOW)).isEqualTo(TriggerResult.FIRE);

        // Three stragglers after the window closed: none fires by itself...
        for (String late : new String[] {"x", "y", "z"}) {
            assertThat(harness.processElement(new StreamRecord<>(late, at("10:00:02")), WINDOW))
                    .isEqualTo(TriggerResult.CONTINUE);
        }
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.advanceProcessingTime(CORRECTION_MS - 1)).isEmpty();
        // ...one correction covers them all.
        assertThat(harness.advanceProcessingTime(CORRECTION_MS)).containsExactly(Tuple2.of(WINDOW, TriggerResult.FIRE));
        assertThat(harness.advanceProcessingTime(10 * CORRECTION_MS)).isEmpty();

        // A later straggler gets its own correction.
        harness.processElement(new StreamRecord<>("w", at("10:00:02")), WINDOW);
        assertThat(harness.advanceProcessingTime(11 * CORRECTION_MS)).containsExactly(Tuple2.of(WINDOW, TriggerResult.FIRE));
    }

    @Test
    void aBurstOfLateElementsIsCorrectedAtTheNextWatermarkWhenThatComesFirst() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness = harness(WindowFiringTrigger.onTime(CORRECTION_MS));
        harness.processElement(new StreamRecord<>("a", at("10:00:01")), WINDOW);
        assertThat(harness.advanceWatermark(at("10:00:10"), WINDOW)).isEqualTo(TriggerResult.FIRE);

        for (String late : new String[] {"x", "y", "z"}) {
            harness.processElement(new StreamRecord<>(late, at("10:00:02")), WINDOW);
        }
        // One timer for the next watermark besides the correction delay, however many stragglers.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        // The watermark moves before the delay is up: the correction goes out with it...
        assertThat(harness.advanceWatermark(at("10:00:10.001"), WINDOW)).isEqualTo(TriggerResult.FIRE);
        // ...and the delay, when it comes, has nothing left to correct.
        assertThat(harness.advanceProcessingTime(CORRECTION_MS)).containsExactly(Tuple2.of(WINDOW, TriggerResult.CONTINUE));

        harness.clearTriggerState(WINDOW);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numStateEntries()).isZero();
    }

    @Test
    void aWindowStillDirtyAtCleanUpFiresBeforeItIsPurgedAndOnlyThen() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness = harness(WindowFiringTrigger.onTime(CORRECTION_MS));
        long cleanUp = WINDOW.maxTimestamp() + 60_000;
        harness.processElement(new StreamRecord<>("a", at("10:00:01")), WINDOW);
        assertThat(harness.advanceWatermark(at("10:00:10"), WINDOW)).isEqualTo(TriggerResult.FIRE);

        // Nothing unfired: the clean-up call emits nothing more.
        assertThat(harness.invokeOnEventTime(cleanUp, WINDOW)).isEqualTo(TriggerResult.CONTINUE);

        // A straggler whose correction timer never ran (bounded input ended) is emitted at clean-up.
        harness.processElement(new StreamRecord<>("late", at("10:00:02")), WINDOW);
        assertThat(harness.invokeOnEventTime(cleanUp, WINDOW)).isEqualTo(TriggerResult.FIRE);

        harness.clearTriggerState(WINDOW);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numStateEntries()).isZero();
    }
}
