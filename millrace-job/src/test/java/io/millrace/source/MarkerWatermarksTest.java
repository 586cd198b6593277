package io.millrace.source;

import static io.millrace.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.DeadLetter;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.EnrichedTradeLogEntry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** The watermark of a staged topic's partition: the lowest newest marker over the writing job's subtasks. */
class MarkerWatermarksTest {

    private final MarkerWatermarks generator = new MarkerWatermarks();
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    private void marker(long watermark, int subtask, int subtasks) {
        generator.onEvent(Either.Right(EnrichedTradeLogEntry.marker(watermark, subtask, subtasks, 0)), watermark, output);
    }

    private void trade(long timestamp) {
        EnrichedTrade trade = new EnrichedTrade("t", "AAPL", BigDecimal.ONE, 1, timestamp, null, "UNKNOWN", null, null,
                BigDecimal.ONE, false);
        generator.onEvent(Either.Right(EnrichedTradeLogEntry.of(trade)), timestamp, output);
    }

    @Test
    void advancesOnlyWhenEverySubtaskHasSpoken() {
        marker(t(5), 0, 2);
        assertThat(emitted).isEmpty();
        marker(t(3), 1, 2);
        assertThat(emitted).containsExactly(t(3));
        marker(t(4), 1, 2);
        assertThat(emitted).containsExactly(t(3), t(4));
        marker(t(9), 1, 2);
        // Subtask 0 is still at 5.
        assertThat(emitted).containsExactly(t(3), t(4), t(5));
    }

    @Test
    void tradesAndDeadLettersNeverAdvanceIt() {
        marker(t(1), 0, 1);
        trade(t(30));
        generator.onEvent(Either.Left(new DeadLetter("market", "enriched-trades", 0, 7, null,
                "{".getBytes(java.nio.charset.StandardCharsets.UTF_8), "bad", t(40))), t(40), output);
        assertThat(emitted).containsExactly(t(1));
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(t(1), t(1));
    }

    @Test
    void aWriterRestartedAtAnotherParallelismStartsOver() {
        marker(t(5), 0, 1);
        marker(t(2), 0, 3);
        marker(t(6), 1, 3);
        marker(t(7), 2, 3);
        // Never back: the watermark stays at 5 until all three new subtasks are past it.
        assertThat(emitted).containsExactly(t(5));
        marker(t(8), 0, 3);
        assertThat(emitted).containsExactly(t(5), t(6));
    }

    @Test
    void nothingToEmitPeriodicallyBeforeTheFirstMarker() {
        generator.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
    }
}
