package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.core.JsonGenerator;
import io.millrace.codec.JsonFields;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The JSON of an enriched engagement event, as the late topic (and the search index) carries it. */
public final class EngagementJson {

    private EngagementJson() {}

    public static String enriched(EnrichedEngagement e) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JsonFields.FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("id", e.id());
            json.writeStringField("content_id", e.contentId());
            json.writeStringField("user_id", e.userId());
            json.writeStringField("event_type", e.eventType());
            json.writeStringField("event_ts", Instant.ofEpochMilli(e.eventTs()).toString());
            if (e.durationMs() == null) {
                json.writeNullField("duration_ms");
            } else {
                json.writeNumberField("duration_ms", e.durationMs());
            }
            json.writeStringField("device", e.device());
            json.writeStringField("content_type", e.contentType());
            if (e.lengthSeconds() == null) {
                json.writeNullField("length_seconds");
            } else {
                json.writeNumberField("length_seconds", e.lengthSeconds());
            }
            if (e.engagementPct() == null) {
                json.writeNullField("engagement_pct");
            } else {
                json.writeNumberField("engagement_pct", e.engagementPct());
            }
            json.writeStringField("committed_at", Instant.ofEpochMilli(e.commitTs()).toString());
            json.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return text.toString();
    }
}
