package io.millrace.function;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Event-time trigger that also fires partial results every {@code interval} of processing time while the
 * window is open; the final firing at the window's end (and late firings) overwrite them downstream.
 */
public final class EarlyFiringTrigger<T> extends Trigger<T, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long intervalMillis;
    private final ValueStateDescriptor<Long> nextEarlyFire = new ValueStateDescriptor<>("next-early-fire", Types.LONG);

    public EarlyFiringTrigger(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public TriggerResult onElement(T element, long timestamp, TimeWindow window, TriggerContext ctx) throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        ValueState<Long> next = ctx.getPartitionedState(nextEarlyFire);
        if (next.value() == null) {
            long at = ctx.getCurrentProcessingTime() + intervalMillis;
            next.update(at);
            ctx.registerProcessingTimeTimer(at);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ValueState<Long> next = ctx.getPartitionedState(nextEarlyFire);
        next.clear();
        return window.maxTimestamp() > ctx.getCurrentWatermark() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ValueState<Long> next = ctx.getPartitionedState(nextEarlyFire);
        Long at = next.value();
        if (at != null) {
            ctx.deleteProcessingTimeTimer(at);
        }
        next.clear();
    }

    @Override
    public String toString() {
        return "EarlyFiringTrigger(" + intervalMillis + "ms)";
    }
}
