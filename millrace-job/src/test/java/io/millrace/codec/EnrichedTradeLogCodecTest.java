package io.millrace.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.EnrichedTradeLogEntry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The staged topic's records, read from hand-written JSON and written back. */
class EnrichedTradeLogCodecTest {

    private static final RecordOrigin ORIGIN = new RecordOrigin("enriched-trades", 3, 17);

    private static EnrichedTradeLogEntry decode(String json) throws InvalidRecordException {
        return new EnrichedTradeLogCodec().decode(json.getBytes(StandardCharsets.UTF_8), ORIGIN);
    }

    @Test
    void readsAnEnrichedTradeWithExactDecimals() throws Exception {
        EnrichedTradeLogEntry entry = decode("{\"trade_id\":\"t-1\",\"symbol\":\"AAPL\",\"price\":189.10,\"volume\":30,"
                + "\"trade_timestamp\":1764633600000,\"company\":\"Apple Inc.\",\"sector\":\"Technology\","
                + "\"market_cap\":2900000000000,\"info_timestamp\":1764633590000,\"trade_value\":5673.00,\"enriched\":true}");
        assertFalse(entry.isMarker());
        EnrichedTrade t = entry.trade();
        assertEquals(new EnrichedTrade("t-1", "AAPL", new BigDecimal("189.10"), 30, 1764633600000L, "Apple Inc.",
                "Technology", 2900000000000L, 1764633590000L, new BigDecimal("5673.00"), true), t);
        assertEquals(1764633600000L, entry.timestamp());
        assertEquals(t, decode(new String(EnrichedTradeLogCodec.encode(entry), StandardCharsets.UTF_8)).trade());
    }

    @Test
    void readsAnUnknownTradeWithNullInfo() throws Exception {
        EnrichedTrade t = decode("{\"trade_id\":\"t-2\",\"symbol\":\"ZZZ\",\"price\":1.5,\"volume\":2,"
                + "\"trade_timestamp\":1000,\"company\":null,\"sector\":\"UNKNOWN\",\"market_cap\":null,"
                + "\"info_timestamp\":null,\"trade_value\":3.0,\"enriched\":false}").trade();
        assertEquals(EnrichedTrade.UNKNOWN_SECTOR, t.sector());
        assertEquals(null, t.company());
        assertEquals(null, t.marketCap());
        assertFalse(t.enriched());
    }

    @Test
    void readsAMarkerWithTheRecordsPartition() throws Exception {
        EnrichedTradeLogEntry marker = decode("{\"millrace_watermark\":1764633599999,\"subtask\":1,\"subtasks\":2}");
        assertTrue(marker.isMarker());
        assertEquals(1764633599999L, marker.watermark());
        assertEquals(1, marker.subtask());
        assertEquals(2, marker.subtasks());
        assertEquals(3, marker.partition());
        assertEquals("{\"millrace_watermark\":1764633599999,\"subtask\":1,\"subtasks\":2}",
                new String(EnrichedTradeLogCodec.encode(marker), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsATradeWithoutItsId() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> decode("{\"symbol\":\"AAPL\","
                + "\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"sector\":\"X\",\"trade_value\":1,\"enriched\":true}"));
        assertEquals("missing field 'trade_id'", e.getMessage());
    }
}
