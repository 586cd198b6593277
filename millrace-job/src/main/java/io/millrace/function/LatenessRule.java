package io.millrace.function;

import java.io.Serializable;

/**
 * When the window an event at a given time belongs to is finalised: the event is late once its partition's
 * watermark reaches this time. For sliding windows it is the earliest of the event's windows, so an event
 * is accepted only while every window it belongs to can still take it.
 */
@FunctionalInterface
public interface LatenessRule extends Serializable {

    long cleanupTime(long eventTime);

    /** Epoch-aligned tumbling windows of {@code size}, kept open {@code allowedLateness} after their end. */
    static LatenessRule tumbling(long size, long allowedLateness) {
        return t -> EventTimeWindows.cleanupTime(t, size, allowedLateness);
    }

    /** Epoch-aligned sliding windows of {@code size} every {@code slide}, kept open {@code allowedLateness}. */
    static LatenessRule sliding(long size, long slide, long allowedLateness) {
        return t -> EventTimeWindows.earliestSlidingWindowEnd(t, size, slide) - 1 + allowedLateness;
    }
}
