package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordDecoder;
import io.millrace.codec.RecordOrigin;
import java.io.IOException;
import java.util.Set;

/**
 * Decodes a captured insert into {@code engagement_events} and applies the input rules: a content id, an
 * event type of play/pause/finish/click, a duration that is absent or not negative, an event time not
 * too far ahead, and a raw payload that is absent or a JSON object with a {@code session_id}. Events are
 * append-only: an update or a delete of an event row is reported, not applied.
 */
public final class EngagementEventDecoder implements RecordDecoder<EngagementEvent> {
    private static final long serialVersionUID = 1L;
    static final Set<String> EVENT_TYPES = Set.of("play", "pause", "finish", "click");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long maxFutureMillis;

    public EngagementEventDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public EngagementEvent decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        ChangeEnvelope change = ChangeEnvelope.read(value);
        if (change.heartbeat()) {
            return EngagementEvent.heartbeat(change.commitTs());
        }
        if (!change.op().equals("c") && !change.op().equals("r")) {
            JsonNode row = change.after() != null ? change.after() : change.before();
            throw new InvalidRecordException("engagement events are append-only: change '" + change.op() + "' of event "
                    + (row == null ? "?" : row.path("id").asText("?")) + " is not applied");
        }
        JsonNode row = change.after();
        if (row == null) {
            throw new InvalidRecordException("engagement event without 'after'");
        }
        JsonNode id = row.get("id");
        if (id == null || !id.canConvertToLong()) {
            throw new InvalidRecordException("column 'id' must be an integer, got " + id);
        }
        String contentId = ChangeEnvelope.text(row, "content_id");
        String eventType = ChangeEnvelope.text(row, "event_type");
        if (!EVENT_TYPES.contains(eventType)) {
            throw new InvalidRecordException("column 'event_type' must be play, pause, finish or click, got \""
                    + eventType + "\"");
        }
        long eventTs = ChangeEnvelope.timestamp(row, "event_ts");
        if (eventTs - System.currentTimeMillis() > maxFutureMillis) {
            throw new InvalidRecordException("column 'event_ts' is " + (eventTs - System.currentTimeMillis()) / 1000
                    + " s in the future (at most " + maxFutureMillis / 1000 + " s allowed)");
        }
        Integer duration = ChangeEnvelope.optionalCount(row, "duration_ms");
        checkPayload(ChangeEnvelope.optionalText(row, "raw_payload"));
        return new EngagementEvent(id.longValue(), contentId, ChangeEnvelope.optionalText(row, "user_id"), eventType,
                eventTs, duration, ChangeEnvelope.optionalText(row, "device"), change.commitTs(), change.lsn(),
                origin.asKey(), false);
    }

    /** The payload is kept as it is, but it must be what producers write: an object naming its session. */
    private static void checkPayload(String payload) throws InvalidRecordException {
        if (payload == null) {
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new InvalidRecordException("column 'raw_payload' is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new InvalidRecordException("column 'raw_payload' must be a JSON object, got "
                    + (n == null ? "nothing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        if (!n.path("session_id").isTextual()) {
            throw new InvalidRecordException("column 'raw_payload' must name its 'session_id'");
        }
    }
}
