package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millrace.codec.InvalidRecordException;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A change record as the capture service writes it: the change envelope ({@code op}, {@code before},
 * {@code after}, {@code source} with the commit time {@code ts_ms} and the log position {@code lsn}), or a
 * heartbeat ({@code {"heartbeat":{"ts_ms":...}}}); also inside Kafka Connect's {@code {"schema":...,"payload":...}}
 * wrapper. Read strictly: what cannot be read is a reason.
 */
record ChangeEnvelope(String op, JsonNode before, JsonNode after, long commitTs, long lsn, boolean heartbeat) {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static ChangeEnvelope read(byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty change record (a delete tombstone?)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("unreadable change record: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException("invalid change record: expected a JSON object");
        }
        if (root.has("schema") && root.has("payload")) {
            // Kafka Connect's JSON converter with schemas on (its default) wraps the envelope.
            root = root.get("payload");
            if (root == null || !root.isObject()) {
                throw new InvalidRecordException("invalid change record: 'payload' is not a JSON object");
            }
        }
        JsonNode heartbeat = root.get("heartbeat");
        if (heartbeat != null) {
            JsonNode ts = heartbeat.get("ts_ms");
            if (ts == null || !ts.canConvertToLong()) {
                throw new InvalidRecordException("heartbeat without 'ts_ms'");
            }
            return new ChangeEnvelope("heartbeat", null, null, ts.longValue(), Long.MAX_VALUE, true);
        }
        JsonNode op = root.get("op");
        JsonNode source = root.get("source");
        if (op == null && root.has("__op")) {
            throw new InvalidRecordException("a flattened change record (Debezium's ExtractNewRecordState transform, "
                    + "as the original's connector wrote them) carries no commit position to join by: capture without "
                    + "that transform, so records keep 'op', 'before', 'after' and 'source' with 'ts_ms' and 'lsn'");
        }
        if (op == null || !op.isTextual()) {
            throw new InvalidRecordException("change record without 'op'");
        }
        if (source == null || !source.path("ts_ms").canConvertToLong() || !source.path("lsn").canConvertToLong()) {
            throw new InvalidRecordException("change record without 'source.ts_ms' and 'source.lsn'");
        }
        return new ChangeEnvelope(op.asText(), nullToMissing(root.get("before")), nullToMissing(root.get("after")),
                source.get("ts_ms").longValue(), source.get("lsn").longValue(), false);
    }

    private static JsonNode nullToMissing(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    /** A required text column of {@code row}. */
    static String text(JsonNode row, String column) throws InvalidRecordException {
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) {
            throw new InvalidRecordException("column '" + column + "' is null");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidRecordException("column '" + column + "' must be non-empty text, got " + v);
        }
        return v.asText();
    }

    /** A nullable text column. */
    static String optionalText(JsonNode row, String column) throws InvalidRecordException {
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRecordException("column '" + column + "' must be text, got " + v);
        }
        return v.asText();
    }

    /** A nullable integer column that must not be negative. */
    static Integer optionalCount(JsonNode row, String column) throws InvalidRecordException {
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRecordException("column '" + column + "' must be an integer, got " + v);
        }
        if (v.intValue() < 0) {
            throw new InvalidRecordException("column '" + column + "' must not be negative, got " + v.intValue());
        }
        return v.intValue();
    }

    /** A required timestamp column (ISO-8601 with an offset, as captured from timestamptz). */
    static long timestamp(JsonNode row, String column) throws InvalidRecordException {
        String text = text(row, column);
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("column '" + column + "' must be an ISO-8601 timestamp, got \"" + text + "\"");
        }
    }
}
