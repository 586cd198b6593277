package io.millrace.cli;

import io.millrace.observe.FlinkRest;
import io.millrace.observe.PipelineObserver;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkSpec;
import java.time.Duration;

/** How far a pipeline's results are final, read the way its {@link Finality} says. */
final class ResultsProgress {

    private ResultsProgress() {}

    /**
     * The watermark up to which results are final, or Long.MIN_VALUE if unknown yet; {@code rest} and
     * {@code jobId} locate the running job for pipelines whose finality is a writer's watermark.
     */
    static long watermark(Pipeline pipeline, FlinkRest rest, String jobId) {
        return PipelineObserver.resultsWatermark(pipeline, rest, jobId);
    }

    /**
     * How long after the results are final they become visible: a sink that writes its progress with its
     * results shows them at once; transactional topics show them when the next checkpoint commits.
     */
    static Duration visibleAfter(Pipeline pipeline) {
        // A warehouse table commits what the stored progress covers only when the next checkpoint completes.
        return pipeline.finality() instanceof Finality.Stored && pipeline.sinks(SinkSpec.WarehouseTable.class).isEmpty()
                ? Duration.ZERO
                : pipeline.config().checkpointInterval().multipliedBy(2);
    }
}
