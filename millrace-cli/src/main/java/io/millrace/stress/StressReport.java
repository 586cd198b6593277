package io.millrace.stress;

import java.util.List;

/**
 * A stress run: the pipeline, the machine, how latency was measured ({@code latencyDefinition}, null when the
 * pipeline has no probe), every stage, and the highest target rate of a stage that kept up (0 if none).
 */
public record StressReport(String pipeline, String startedAt, String machine, int cores, double stageSeconds,
        int sampleEvery, String latencyDefinition, List<StageResult> stages, double highestSustainableRate,
        String conclusion) {}
