package io.millrace.bench;

/**
 * One variant's figures in a benchmark comparison: throughput on the backlog, the job's CPU and heap, its
 * checkpoints, and, when measured, latency at a fixed live rate and recovery after kill -9 (NaN when not measured).
 */
public record BenchResult(String variant, long rows, double secondsFromSubmit, double secondsFromFirstRead,
        double cpuSeconds, double peakHeapMb, int checkpoints, double checkpointStateMb, long checkpointMedianMs,
        long checkpointMaxMs, String verified, double latencyRate, double latencyP50Ms, double latencyP99Ms,
        double recoveryMinSeconds, double recoveryMaxSeconds, String recoveryVerdict) {

    public double rowsPerSecondFromSubmit() {
        return rows / secondsFromSubmit;
    }

    public double rowsPerSecondFromFirstRead() {
        return rows / secondsFromFirstRead;
    }

    /** This result with the latency measured at {@code rate} records/s. */
    public BenchResult withLatency(double rate, double p50, double p99) {
        return new BenchResult(variant, rows, secondsFromSubmit, secondsFromFirstRead, cpuSeconds, peakHeapMb, checkpoints,
                checkpointStateMb, checkpointMedianMs, checkpointMaxMs, verified, rate, p50, p99, recoveryMinSeconds,
                recoveryMaxSeconds, recoveryVerdict);
    }

    /** This result with the recovery times of a chaos run. */
    public BenchResult withRecovery(double min, double max, String verdict) {
        return new BenchResult(variant, rows, secondsFromSubmit, secondsFromFirstRead, cpuSeconds, peakHeapMb, checkpoints,
                checkpointStateMb, checkpointMedianMs, checkpointMaxMs, verified, latencyRate, latencyP50Ms, latencyP99Ms,
                min, max, verdict);
    }
}
