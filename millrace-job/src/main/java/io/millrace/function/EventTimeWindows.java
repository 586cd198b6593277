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
}
