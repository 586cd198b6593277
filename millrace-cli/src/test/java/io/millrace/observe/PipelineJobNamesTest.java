package io.millrace.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.config.Settings;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.Pipelines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which running jobs belong to a pipeline, whichever architecture it is configured with and was started with. */
class PipelineJobNamesTest {

    private static FlinkRest.JobSummary running(String id, String name) {
        return new FlinkRest.JobSummary(id, name, "RUNNING");
    }

    private static final List<FlinkRest.JobSummary> STAGED_RUNNING = List.of(running("a", "millrace-market-enrich"),
            running("b", "millrace-market-aggregate"), running("c", "millrace-payments"),
            new FlinkRest.JobSummary("d", "millrace-market-enrich", "CANCELED"));

    @Test
    void theBaseNameIsWhatSeveralJobsShareBeforeTheirLastDash() {
        assertThat(PipelineObserver.baseJobName(List.of("millrace-market"))).isEqualTo("millrace-market");
        assertThat(PipelineObserver.baseJobName(List.of("millrace-market-enrich", "millrace-market-aggregate")))
                .isEqualTo("millrace-market");
        assertThat(PipelineObserver.baseJobName(List.of("millrace-market-trades", "millrace-market-metrics")))
                .isEqualTo("millrace-market");
    }

    @Test
    void bothStagedJobsAreFollowedWhetherConfiguredUnifiedOrStaged() {
        Pipeline unified = Pipelines.require("market").configure(Settings.layered(
                Pipelines.require("market").keys().all(), null, Map.of(), Map.of()));
        Pipeline staged = Pipelines.require("market").configure(Settings.layered(
                Pipelines.require("market").keys().all(), null, Map.of(), Map.of("architecture", "staged")));
        assertThat(PipelineObserver.runningJobIds(unified, STAGED_RUNNING)).isEqualTo("a,b");
        assertThat(PipelineObserver.runningJobIds(staged, STAGED_RUNNING)).isEqualTo("a,b");
    }
}
