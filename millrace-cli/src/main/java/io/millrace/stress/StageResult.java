package io.millrace.stress;

import java.util.List;
import java.util.Map;

/**
 * What one stage measured. Rates are per second over the stage: {@code achievedRate} what the generator produced,
 * {@code kafkaInputRate} the growth of the input topic's end offsets, {@code readRate} what the job's sources read,
 * {@code sinkRates} what each sink's writer took in. Lag is the consumer group's, in records; CPU is the job JVM's
 * process load (share of all cores) averaged over the stage; heap the highest used heap seen; {@code loadAverage} the
 * machine's 1-minute load average at the stage's end (other processes share the cores).
 */
public record StageResult(String name, double targetRate, double achievedRate, double kafkaInputRate, double readRate,
        Map<String, Double> sinkRates, Latency latency, LagTrend lag, List<Long> checkpointMillis, double cpuPercent,
        double heapMaxMb, double loadAverage, double seconds, Verdict verdict) {

    /**
     * End-to-end latency in milliseconds of the followed records: how many became visible ({@code samples}), how many
     * had not when the run ended ({@code unresolved}: the percentiles are then lower bounds), and their spread.
     */
    public record Latency(long samples, int unresolved, long p50, long p95, long p99, long max, long min) {}

    /** This result with its latency, once the results of its records are visible. */
    public StageResult withLatency(Latency measured) {
        return new StageResult(name, targetRate, achievedRate, kafkaInputRate, readRate, sinkRates, measured, lag,
                checkpointMillis, cpuPercent, heapMaxMb, loadAverage, seconds, verdict);
    }

    public boolean keptUp() {
        return verdict == Verdict.KEPT_UP;
    }
}
