package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.verify.TableCheck;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a sink that holds one record per enriched event (the search index, the warehouse table) with the
 * events {@link EngagementOracle} expects: every valid event once, with its content as of its commit. The sink's
 * records are read by their documented field names, never through the job's encoders.
 */
final class EnrichedEventCheck {
    private final TableCheck check;
    private final Map<Long, EngagementOracle.ExpectedEvent> expected;
    private final Set<Long> seen = new HashSet<>();
    private long actual;

    EnrichedEventCheck(String name, Map<Long, EngagementOracle.ExpectedEvent> expected) {
        this.check = new TableCheck(name);
        this.expected = expected;
    }

    /** A search document: its id and its source. */
    void searchDocument(String docId, JsonNode source) {
        actual++;
        long id;
        try {
            id = Long.parseLong(docId);
        } catch (NumberFormatException e) {
            check.extra("document " + docId + " (not an event id)");
            return;
        }
        if (!source.path("id").canConvertToLong() || source.get("id").longValue() != id) {
            seen.add(id);
            check.wrong("document " + docId + ": its id field is " + source.get("id"));
            return;
        }
        compare(id, new EngagementOracle.ExpectedEvent(id, text(source, "content_id"), text(source, "user_id"),
                text(source, "event_type"), isoMillis(source.get("event_ts")), integer(source, "duration_ms"),
                text(source, "device"), text(source, "content_type"), integer(source, "length_seconds"),
                decimal(source.get("engagement_pct")), isoMillis(source.get("commit_ts"))));
    }

    /** A warehouse row by column name, as the table's reader returns it. */
    void warehouseRow(Map<String, Object> row) {
        actual++;
        Object rawId = row.get("id");
        if (!(rawId instanceof Number number)) {
            check.wrong("row without an id: " + row);
            return;
        }
        long id = number.longValue();
        compare(id, new EngagementOracle.ExpectedEvent(id, (String) row.get("content_id"), (String) row.get("user_id"),
                (String) row.get("event_type"), millis(row.get("event_ts")), intOrNull(row.get("duration_ms")),
                (String) row.get("device"), (String) row.get("content_type"), intOrNull(row.get("length_seconds")),
                (BigDecimal) row.get("engagement_pct"), millis(row.get("commit_ts"))));
    }

    private void compare(long id, EngagementOracle.ExpectedEvent found) {
        if (!seen.add(id)) {
            check.duplicated("event " + id);
            return;
        }
        EngagementOracle.ExpectedEvent want = expected.get(id);
        if (want == null) {
            check.extra("event " + id + " (no valid event row has this id)");
            return;
        }
        String difference = difference(want, found);
        if (difference != null) {
            check.wrong("event " + id + ": " + difference);
        }
    }

    /** The first field that differs, or null. */
    static String difference(EngagementOracle.ExpectedEvent want, EngagementOracle.ExpectedEvent found) {
        Map<String, Object[]> fields = new LinkedHashMap<>();
        fields.put("content_id", new Object[] {want.contentId(), found.contentId()});
        fields.put("user_id", new Object[] {want.userId(), found.userId()});
        fields.put("event_type", new Object[] {want.eventType(), found.eventType()});
        fields.put("event_ts", new Object[] {want.eventTs(), found.eventTs()});
        fields.put("duration_ms", new Object[] {want.durationMs(), found.durationMs()});
        fields.put("device", new Object[] {want.device(), found.device()});
        fields.put("content_type", new Object[] {want.contentType(), found.contentType()});
        fields.put("length_seconds", new Object[] {want.lengthSeconds(), found.lengthSeconds()});
        fields.put("commit_ts", new Object[] {want.commitTs(), found.commitTs()});
        for (Map.Entry<String, Object[]> f : fields.entrySet()) {
            if (!Objects.equals(f.getValue()[0], f.getValue()[1])) {
                return f.getKey() + " expected " + f.getValue()[0] + ", found " + f.getValue()[1];
            }
        }
        BigDecimal a = want.engagementPct();
        BigDecimal b = found.engagementPct();
        if (a == null ? b != null : b == null || a.compareTo(b) != 0) {
            return "engagement_pct expected " + a + ", found " + b;
        }
        return null;
    }

    /** The sink could not be read: every expected event counts as missing, with the reason first. */
    TableCheck unreadable(String reason) {
        check.missing(reason);
        check.expected(expected.size());
        check.actual(0);
        expected.keySet().stream().sorted().skip(1).forEach(id -> check.missing("event " + id));
        return check;
    }

    TableCheck finish() {
        check.expected(expected.size());
        check.actual(actual);
        expected.keySet().stream().filter(id -> !seen.contains(id)).sorted().forEach(id -> check.missing("event " + id));
        return check;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.intValue();
    }

    private static BigDecimal decimal(JsonNode v) {
        return v == null || v.isNull() ? null : new BigDecimal(v.asText());
    }

    private static long isoMillis(JsonNode v) {
        if (v == null || v.isNull()) {
            return Long.MIN_VALUE;
        }
        return v.isNumber() ? v.longValue() : Instant.parse(v.asText()).toEpochMilli();
    }

    private static Integer intOrNull(Object v) {
        return v == null ? null : ((Number) v).intValue();
    }

    private static long millis(Object v) {
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toEpochMilli();
        }
        if (v instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (v instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return Long.MIN_VALUE;
    }
}
