package io.millrace.function;

import io.millrace.source.EventTime;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Epoch-aligned tumbling event-time windows on a time read from the payload rather than the record's
 * timestamp: an operator upstream may emit an element later than its event time (a trade released when
 * its info wait ends) and the element must still land in the window of its own time.
 */
public final class PayloadTimeTumblingWindows<T> extends WindowAssigner<T, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long sizeMillis;
    private final EventTime<T> eventTime;

    public PayloadTimeTumblingWindows(long sizeMillis, EventTime<T> eventTime) {
        this.sizeMillis = sizeMillis;
        this.eventTime = eventTime;
    }

    @Override
    public Collection<TimeWindow> assignWindows(T element, long recordTimestamp, WindowAssignerContext context) {
        long start = EventTimeWindows.windowStart(eventTime.of(element), sizeMillis);
        return List.of(new TimeWindow(start, start + sizeMillis));
    }

    /** Once per window, then once per burst of late elements (not once per late element). */
    @Override
    public Trigger<T, TimeWindow> getDefaultTrigger() {
        return WindowFiringTrigger.onTime(WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS);
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "PayloadTimeTumblingWindows(" + sizeMillis + "ms)";
    }
}
