package io.millrace.cli;

import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.sink.ProgressTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** How far a pipeline's results are final, read the way its {@link Finality} says. */
final class ResultsProgress {

    private ResultsProgress() {}

    /**
     * The watermark up to which results are final, or Long.MIN_VALUE if unknown yet; {@code rest} and
     * {@code jobId} locate the running job for pipelines whose finality is a writer's watermark.
     */
    static long watermark(Pipeline pipeline, FlinkRest rest, String jobId) {
        Finality finality = pipeline.finality();
        if (finality instanceof Finality.ProgressTable progress) {
            try (Connection db = progress.postgres().open()) {
                return ProgressTable.lowest(db, progress.pipeline(), progress.sinks());
            } catch (SQLException e) {
                return Long.MIN_VALUE;
            }
        }
        return rest.inputWatermark(jobId, ((Finality.WriterWatermark) finality).writerOperator());
    }

    /**
     * How long after the results are final they become visible: a sink that writes its progress with its
     * rows shows them at once; transactional topics show them when the next checkpoint commits.
     */
    static Duration visibleAfter(Pipeline pipeline) {
        return pipeline.finality() instanceof Finality.ProgressTable ? Duration.ZERO
                : pipeline.config().checkpointInterval().multipliedBy(2);
    }
}
