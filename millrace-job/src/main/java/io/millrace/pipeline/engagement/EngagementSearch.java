package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.sink.SearchDocument;
import io.millrace.sink.SearchIndex;
import java.time.Instant;

/**
 * The search index of enriched engagement events: its mapping (keywords, dates, numbers; strict, so a field
 * the mapping does not know is refused, not guessed) and the document of an event, whose id is the event id
 * so that a replay overwrites what it wrote before.
 */
public final class EngagementSearch {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The field mappings: keywords for what is filtered and grouped on, dates, and numbers. */
    public static final String PROPERTIES = """
            {
              "id": {"type": "long"},
              "content_id": {"type": "keyword"},
              "user_id": {"type": "keyword"},
              "event_type": {"type": "keyword"},
              "event_ts": {"type": "date", "format": "strict_date_optional_time||epoch_millis"},
              "duration_ms": {"type": "integer"},
              "device": {"type": "keyword"},
              "content_type": {"type": "keyword"},
              "length_seconds": {"type": "integer"},
              "engagement_pct": {"type": "scaled_float", "scaling_factor": 10000},
              "commit_ts": {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
            }
            """;

    /** The index named {@code name} with the engagement mappings. */
    public static SearchIndex index(String name) {
        return new SearchIndex(name, PROPERTIES);
    }

    /** The document of an event: its id is the event id. */
    public static SearchDocument document(EnrichedEngagement e) {
        return new SearchDocument(Long.toString(e.id()), source(e));
    }

    private EngagementSearch() {}

    /** The document's source: every enriched field, null ones included, times as ISO-8601 UTC. */
    static String source(EnrichedEngagement e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", e.id());
        n.put("content_id", e.contentId());
        n.put("user_id", e.userId());
        n.put("event_type", e.eventType());
        n.put("event_ts", Instant.ofEpochMilli(e.eventTs()).toString());
        n.put("duration_ms", e.durationMs());
        n.put("device", e.device());
        n.put("content_type", e.contentType());
        n.put("length_seconds", e.lengthSeconds());
        n.put("engagement_pct", e.engagementPct());
        n.put("commit_ts", Instant.ofEpochMilli(e.commitTs()).toString());
        return n.toString();
    }
}
