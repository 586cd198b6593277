package io.millrace.function;

import static io.millrace.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.EnrichedTradeLogEntry;
import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Harness tests of the marker writer of the staged topic: every watermark advance, one marker per partition. */
class WatermarkMarkerOperatorTest {

    private OneInputStreamOperatorTestHarness<EnrichedTrade, EnrichedTradeLogEntry> harness;

    @BeforeEach
    void setUp() throws Exception {
        // Subtask 1 of 2, writing to a topic of 3 partitions.
        harness = new OneInputStreamOperatorTestHarness<>(new WatermarkMarkerOperator(3), 2, 2, 1);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static EnrichedTrade trade(String id, long timestamp) {
        return new EnrichedTrade(id, "AAPL", new BigDecimal("189.10"), 30, timestamp, "Apple Inc.", "Technology",
                2_900_000_000_000L, timestamp - 1000, new BigDecimal("5673.00"), true);
    }

    private List<EnrichedTradeLogEntry> entries() {
        return harness.extractOutputValues();
    }

    @Test
    void tradesPassWithTheirTimestamps() throws Exception {
        harness.processElement(new StreamRecord<>(trade("t-1", t(1)), t(1)));
        assertThat(entries()).containsExactly(EnrichedTradeLogEntry.of(trade("t-1", t(1))));
        assertThat(((StreamRecord<?>) harness.getOutput().peek()).getTimestamp()).isEqualTo(t(1));
    }

    @Test
    void eachAdvanceWritesOneMarkerPerPartitionBeforeTheWatermark() throws Exception {
        harness.processWatermark(new Watermark(t(2)));
        assertThat(entries()).containsExactly(EnrichedTradeLogEntry.marker(t(2), 1, 2, 0),
                EnrichedTradeLogEntry.marker(t(2), 1, 2, 1), EnrichedTradeLogEntry.marker(t(2), 1, 2, 2));
        Object last = harness.getOutput().toArray()[3];
        assertThat(last).isEqualTo(new Watermark(t(2)));
    }

    @Test
    void aWatermarkThatDoesNotAdvanceWritesNoMarker() throws Exception {
        harness.processWatermark(new Watermark(t(2)));
        harness.processWatermark(new Watermark(t(2)));
        harness.processWatermark(new Watermark(t(3)));
        assertThat(entries()).extracting(EnrichedTradeLogEntry::watermark)
                .containsExactly(t(2), t(2), t(2), t(3), t(3), t(3));
    }
}
