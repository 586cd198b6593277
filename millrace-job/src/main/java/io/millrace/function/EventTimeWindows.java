package io.millrace.function;

/** Tumbling-window arithmetic on epoch-aligned windows, shared by operators that must agree on it. */
public final class EventTimeWindows {

    private EventTimeWindows() {}

    public static long windowStart(long timestamp, long size) {
        return timestamp - Math.floorMod(timestamp, size);
    }

    /**
     * When the window holding {@code timestamp} is purged: its last millisecond plus the allowed
     * lateness, exactly as Flink's window operator computes it. An element is late once the watermark
     * reaches this time.
     */
    public static long cleanupTime(long timestamp, long size, long allowedLateness) {
        return windowStart(timestamp, size) + size - 1 + allowedLateness;
    }

    /**
     * The end of the earliest epoch-aligned sliding window ({@code size} every {@code slide}) that contains
     * {@code timestamp}: windows start at multiples of {@code slide}, and a window [s, s + size) holds t when
     * s <= t < s + size.
     */
    public static long earliestSlidingWindowEnd(long timestamp, long size, long slide) {
        long lastStart = windowStart(timestamp, slide);
        long windows = (size + slide - 1) / slide;
        long earliest = lastStart - (windows - 1) * slide;
        while (earliest + size <= timestamp) {
            earliest += slide;
        }
        return earliest + size;
    }
}
