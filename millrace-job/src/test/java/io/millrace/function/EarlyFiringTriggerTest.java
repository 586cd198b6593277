package io.millrace.function;

import static io.millrace.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.TriggerTestHarness;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** Update mode: partial results while the window is open (processing time), then the final one (event time). */
class EarlyFiringTriggerTest {

    private static final TimeWindow WINDOW = new TimeWindow(at("10:00:00"), at("10:00:03"));

    @Test
    void firesEarlyEveryIntervalWhileOpenThenFinallyAtTheEndAndCleansUp() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness =
                new TriggerTestHarness<>(new EarlyFiringTrigger<>(1000), new TimeWindow.Serializer());
        harness.advanceProcessingTime(0);

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
        harness.clearTriggerState(WINDOW);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numStateEntries()).isZero();
    }

    @Test
    void aProcessingTimeFiringAfterTheWindowClosedDoesNotRepeatTheFinalResult() throws Exception {
        TriggerTestHarness<Object, TimeWindow> harness =
                new TriggerTestHarness<>(new EarlyFiringTrigger<>(1000), new TimeWindow.Serializer());
        harness.advanceProcessingTime(0);
        harness.processElement(new StreamRecord<>("a", at("10:00:01")), WINDOW);

        assertThat(harness.advanceWatermark(at("10:00:05"), WINDOW)).isEqualTo(TriggerResult.FIRE);
        // The early timer still fires, but the window is closed: no second result.
        assertThat(harness.advanceProcessingTime(2000)).containsExactly(Tuple2.of(WINDOW, TriggerResult.CONTINUE));
    }
}
