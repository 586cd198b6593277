package io.millrace.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.pipeline.SinkRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an observation derives from its readings: lag, watermark delay, backlog, counts by role. */
class ObservationTest {
    private static final long NOW = 1_700_000_000_000L;

    private static Observation reading(List<Observation.PartitionLag> lag, long watermark, List<Observation.Sink> sinks) {
        return new Observation("payments", "job", NOW, 0, 100, Double.NaN, List.of(), sinks, lag, watermark,
                Long.MIN_VALUE, null, List.of(), List.of());
    }

    @Test
    void lagCountsEveryRecordOfAPartitionTheGroupHasNotCommittedYet() {
        Observation o = reading(List.of(new Observation.PartitionLag("in", 0, 90, 100),
                new Observation.PartitionLag("in", 1, -1, 7)), Long.MIN_VALUE, List.of());

        assertThat(o.lag().get(1).lag()).isEqualTo(7);
        assertThat(o.totalLag()).isEqualTo(17);
        assertThat(reading(List.of(), Long.MIN_VALUE, List.of()).totalLag()).as("unknown").isEqualTo(-1);
    }

    @Test
    void watermarkDelayIsWallClockMinusWatermarkAndUnknownBeforeTheFirstWatermark() {
        assertThat(reading(List.of(), NOW - 2_500, List.of()).watermarkDelayMillis()).isEqualTo(2_500);
        assertThat(reading(List.of(), Long.MIN_VALUE, List.of()).watermarkDelayMillis()).isEqualTo(-1);
    }

    @Test
    void deadLettersAndLateAreTheCountsOfTheSinksWithThoseRoles() {
        Observation o = reading(List.of(), Long.MIN_VALUE, List.of(
                new Observation.Sink("out", SinkRole.RESULTS, 10, 1.0, -1),
                new Observation.Sink("late", SinkRole.LATE, 3, 0.0, -1),
                new Observation.Sink("dlq", SinkRole.DEAD_LETTERS, 4, 0.0, -1),
                new Observation.Sink("index", SinkRole.ENRICHED, 80, 0.0, 95)));

        assertThat(o.deadLetters()).isEqualTo(4);
        assertThat(o.late()).isEqualTo(3);
        assertThat(o.count("out")).isEqualTo(10);
        assertThat(o.sink("index").orElseThrow().backlog()).isEqualTo(15);
        assertThat(o.sink("out").orElseThrow().backlog()).as("not a fan-out sink").isEqualTo(-1);
    }
}
