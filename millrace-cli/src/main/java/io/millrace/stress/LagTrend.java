package io.millrace.stress;

/**
 * The consumer lag of a stage at its middle and at its end. Flink commits offsets when a checkpoint completes, so the
 * lag read from Kafka is a sawtooth: it climbs between checkpoints and drops at each. Each value is therefore the
 * lowest sample in a window longer than a checkpoint interval (the trough after a commit), not a single sample that
 * may sit on a peak.
 */
public record LagTrend(long middle, long end, long max) {

    /**
     * @param samples the lag once a second over the stage, -1 where unknown
     * @param window samples per window: more than a checkpoint interval's worth
     */
    public static LagTrend of(long[] samples, int window) {
        int n = samples.length;
        if (n == 0) {
            return new LagTrend(-1, -1, -1);
        }
        int w = Math.max(1, Math.min(window, Math.max(1, n / 2)));
        int mid = n / 2;
        long max = -1;
        for (long s : samples) {
            max = Math.max(max, s);
        }
        return new LagTrend(lowest(samples, Math.max(0, mid - w / 2), Math.min(n, mid - w / 2 + w)),
                lowest(samples, n - w, n), max);
    }

    private static long lowest(long[] samples, int from, int to) {
        long low = Long.MAX_VALUE;
        for (int i = Math.max(0, from); i < to; i++) {
            if (samples[i] >= 0) {
                low = Math.min(low, samples[i]);
            }
        }
        return low == Long.MAX_VALUE ? -1 : low;
    }
}
