package io.millrace.function;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Event-time trigger that fires once when the watermark passes the window's end, optionally early every
 * {@code interval} of processing time while it is open, and once per burst of late elements afterwards.
 *
 * <p>Flink's own event-time trigger fires again for every late element; after an idle partition wakes up,
 * or when a backlog lets one partition run ahead, that is one result record per straggler, each one looking
 * final. Here late elements only mark the window dirty, and one correction fires for the burst: at the next
 * watermark or {@code correctionDelay} later, whichever comes first. The watermark path keeps the results
 * consistent with the watermark downstream (a sink that records its watermark with its rows never claims a
 * window final while its correction is still pending); the delay bounds the wait when the watermark stalls.
 * A window still dirty when its retention ends (or the input ends) fires a last time before it is purged, so
 * no accepted element is left out.
 */
public final class WindowFiringTrigger<T> extends Trigger<T, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** Default delay before late elements are folded into a correction: long enough to batch a burst. */
    public static final long DEFAULT_CORRECTION_DELAY_MS = 1_000;

    private final long earlyIntervalMillis;
    private final long correctionDelayMillis;
    private final ValueStateDescriptor<Long> pendingTimer = new ValueStateDescriptor<>("pending-fire", Types.LONG);
    private final ValueStateDescriptor<Long> pendingWatermark = new ValueStateDescriptor<>("pending-watermark-fire",
            Types.LONG);
    private final ValueStateDescriptor<Boolean> dirty = new ValueStateDescriptor<>("unfired-elements", Types.BOOLEAN);

    private WindowFiringTrigger(long earlyIntervalMillis, long correctionDelayMillis) {
        if (earlyIntervalMillis < 0 || correctionDelayMillis <= 0) {
            throw new IllegalArgumentException("early interval must be >= 0 and correction delay > 0");
        }
        this.earlyIntervalMillis = earlyIntervalMillis;
        this.correctionDelayMillis = correctionDelayMillis;
    }

    /** Fires when the window closes, then once per burst of late elements. */
    public static <T> WindowFiringTrigger<T> onTime(long correctionDelayMillis) {
        return new WindowFiringTrigger<>(0, correctionDelayMillis);
    }

    /** As {@link #onTime}, plus partial results every {@code intervalMillis} while the window is open. */
    public static <T> WindowFiringTrigger<T> early(long intervalMillis, long correctionDelayMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("early-fire interval must be > 0");
        }
        return new WindowFiringTrigger<>(intervalMillis, correctionDelayMillis);
    }

    @Override
    public TriggerResult onElement(T element, long timestamp, TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.getPartitionedState(dirty).update(true);
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            armOnce(ctx, correctionDelayMillis);
            ValueState<Long> atWatermark = ctx.getPartitionedState(pendingWatermark);
            if (atWatermark.value() == null) {
                long next = ctx.getCurrentWatermark() + 1;
                atWatermark.update(next);
                ctx.registerEventTimeTimer(next);
            }
        } else {
            ctx.registerEventTimeTimer(window.maxTimestamp());
            if (earlyIntervalMillis > 0) {
                armOnce(ctx, earlyIntervalMillis);
            }
        }
        return TriggerResult.CONTINUE;
    }

    private void armOnce(TriggerContext ctx, long delay) throws Exception {
        ValueState<Long> pending = ctx.getPartitionedState(pendingTimer);
        if (pending.value() == null) {
            long at = ctx.getCurrentProcessingTime() + delay;
            pending.update(at);
            ctx.registerProcessingTimeTimer(at);
        }
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.getPartitionedState(pendingTimer).clear();
        return fireIfDirty(ctx);
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        if (time == window.maxTimestamp()) {
            ctx.getPartitionedState(dirty).clear();
            return TriggerResult.FIRE;
        }
        ValueState<Long> atWatermark = ctx.getPartitionedState(pendingWatermark);
        if (atWatermark.value() != null && atWatermark.value() == time) {
            atWatermark.clear();
        }
        // The watermark moved after late elements, or the window's clean-up: emit what has not been emitted.
        return fireIfDirty(ctx);
    }

    private TriggerResult fireIfDirty(TriggerContext ctx) throws Exception {
        ValueState<Boolean> unfired = ctx.getPartitionedState(dirty);
        if (unfired.value() == null) {
            return TriggerResult.CONTINUE;
        }
        unfired.clear();
        return TriggerResult.FIRE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ValueState<Long> pending = ctx.getPartitionedState(pendingTimer);
        Long at = pending.value();
        if (at != null) {
            ctx.deleteProcessingTimeTimer(at);
        }
        pending.clear();
        ValueState<Long> atWatermark = ctx.getPartitionedState(pendingWatermark);
        if (atWatermark.value() != null) {
            ctx.deleteEventTimeTimer(atWatermark.value());
        }
        atWatermark.clear();
        ctx.getPartitionedState(dirty).clear();
    }

    @Override
    public String toString() {
        return "WindowFiringTrigger(early=" + earlyIntervalMillis + "ms, correction=" + correctionDelayMillis + "ms)";
    }
}
