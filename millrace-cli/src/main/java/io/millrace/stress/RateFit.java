package io.millrace.stress;

import java.util.List;

/**
 * A rate as the least-squares slope of a counter sampled over time. The job's counters come through Flink's metric
 * fetcher, up to a second stale, so the difference of two readings is off by up to a second of input; a slope over a
 * stage's samples is not moved by a constant staleness and averages out its jitter.
 */
final class RateFit {

    /** Fewer samples than this give no slope: the caller falls back to the difference of two readings. */
    static final int MIN_SAMPLES = 5;

    /** One reading of a counter at {@code nanos} ({@link System#nanoTime()}). */
    record Point(long nanos, long value) {}

    private RateFit() {}

    /** Counts per second over {@code points}, or NaN with fewer than {@link #MIN_SAMPLES}. */
    static double perSecond(List<Point> points) {
        int n = points.size();
        if (n < MIN_SAMPLES) {
            return Double.NaN;
        }
        double t0 = points.get(0).nanos() / 1e9;
        double meanT = 0;
        double meanV = 0;
        for (Point p : points) {
            meanT += p.nanos() / 1e9 - t0;
            meanV += p.value();
        }
        meanT /= n;
        meanV /= n;
        double cov = 0;
        double var = 0;
        for (Point p : points) {
            double dt = p.nanos() / 1e9 - t0 - meanT;
            cov += dt * (p.value() - meanV);
            var += dt * dt;
        }
        return var == 0 ? Double.NaN : cov / var;
    }
}
