package io.millrace.pipeline.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.verify.TableCheck;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-event comparison of the search index and the warehouse table with the expected events. */
class EnrichedEventCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    private static EngagementOracle.ExpectedEvent event(long id, String device, String pct) {
        return new EngagementOracle.ExpectedEvent(id, "c-" + id, "u-" + id, "play", T0 + id, 1500, device, "video", 60,
                pct == null ? null : new BigDecimal(pct), T0 + id + 5);
    }

    private static Map<Long, EngagementOracle.ExpectedEvent> expected() {
        Map<Long, EngagementOracle.ExpectedEvent> events = new HashMap<>();
        events.put(1L, event(1, "ios", "2.5000"));
        events.put(2L, event(2, "web-chrome", null));
        events.put(3L, event(3, "android", "100.0000"));
        return events;
    }

    /** A warehouse row as the table's reader returns it: timestamps as instants, decimals at the column's scale. */
    private static Map<String, Object> row(long id, String device, String pct) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("content_id", "c-" + id);
        row.put("user_id", "u-" + id);
        row.put("event_type", "play");
        row.put("event_ts", Instant.ofEpochMilli(T0 + id));
        row.put("duration_ms", 1500);
        row.put("device", device);
        row.put("content_type", "video");
        row.put("length_seconds", 60);
        row.put("engagement_pct", pct == null ? null : new BigDecimal(pct));
        row.put("commit_ts", Instant.ofEpochMilli(T0 + id + 5));
        return row;
    }

    @Test
    void warehouseRowsEqualToTheExpectationPassWhateverTheDecimalScale() {
        EnrichedEventCheck check = new EnrichedEventCheck("warehouse", expected());
        check.warehouseRow(row(1, "ios", "2.5"));
        check.warehouseRow(row(2, "web-chrome", null));
        check.warehouseRow(row(3, "android", "100.0000"));
        TableCheck result = check.finish();
        assertThat(result.differences()).as(result.examples().toString()).isZero();
        assertThat(result.actualCount()).isEqualTo(3);
    }

    @Test
    void aDuplicatedRowAWrongFieldAMissingAndAnExtraEventAreEachFound() {
        EnrichedEventCheck check = new EnrichedEventCheck("warehouse", expected());
        check.warehouseRow(row(1, "ios", "2.5000"));
        check.warehouseRow(row(1, "ios", "2.5000"));
        check.warehouseRow(row(2, "android", null));
        check.warehouseRow(row(9, "ios", null));
        TableCheck result = check.finish();
        assertThat(result.duplicatedCount()).isEqualTo(1);
        assertThat(result.wrongCount()).isEqualTo(1);
        assertThat(result.missingCount()).isEqualTo(1);
        assertThat(result.extraCount()).isEqualTo(1);
        assertThat(result.examples()).anyMatch(x -> x.contains("event 2: device expected web-chrome, found android"));
        assertThat(result.examples()).anyMatch(x -> x.contains("event 3"));
    }

    @Test
    void searchDocumentsAreReadByTheirDocumentedFields() throws Exception {
        EnrichedEventCheck check = new EnrichedEventCheck("search", expected());
        check.searchDocument("1", JSON.readTree("""
                {"id":1,"content_id":"c-1","user_id":"u-1","event_type":"play","event_ts":"2026-12-01T10:00:00.001Z",
                 "duration_ms":1500,"device":"ios","content_type":"video","length_seconds":60,"engagement_pct":2.5,
                 "commit_ts":"2026-12-01T10:00:00.006Z"}"""));
        // One millisecond off in the commit time.
        check.searchDocument("2", JSON.readTree("""
                {"id":2,"content_id":"c-2","user_id":"u-2","event_type":"play","event_ts":"2026-12-01T10:00:00.002Z",
                 "duration_ms":1500,"device":"web-chrome","content_type":"video","length_seconds":60,"engagement_pct":null,
                 "commit_ts":"2026-12-01T10:00:00.008Z"}"""));
        // A document whose id field disagrees with its id.
        check.searchDocument("3", JSON.readTree("{\"id\":4}"));
        TableCheck result = check.finish();
        assertThat(result.wrongCount()).isEqualTo(2);
        assertThat(result.missingCount()).isZero();
        assertThat(result.examples()).anyMatch(x -> x.contains("event 2: commit_ts"));
    }
}
