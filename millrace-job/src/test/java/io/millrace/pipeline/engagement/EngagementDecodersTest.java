package io.millrace.pipeline.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The change decoders on records exactly as Debezium 3.6's PostgreSQL connector writes them through the capture
 * service (copied from a capture run: a content insert, an update, a key-only delete, an event insert, a
 * heartbeat), in Kafka Connect's schema wrapper, and on what they must reject, each with its reason.
 */
class EngagementDecodersTest {

    private static final RecordOrigin ORIGIN = new RecordOrigin("engagement.public.engagement_events", 1, 42);
    private static final long HOUR = 3_600_000L;

    private static final String CONTENT_INSERT = """
            {"before":null,"after":{"id":"610bd1fc-c43e-3989-9ec8-7162b65226c3","slug":"slug-2","title":"Before the outage",\
            "content_type":"video","length_seconds":61,"publish_ts":"2026-01-01T10:00:02.000000Z"},"source":{"version":\
            "3.6.1.Final","connector":"postgresql","name":"cdc_outage","ts_ms":1796102168357,"snapshot":"false","db":\
            "cdc_outage","sequence":"[\\"28910160\\",\\"28910160\\"]","ts_us":1796102168357236,"ts_ns":1796102168357236000,\
            "schema":"public","table":"content","txId":757,"lsn":28910160,"xmin":null,"origin":null,"origin_lsn":null},\
            "transaction":null,"op":"c","ts_ms":1796102168540,"ts_us":1796102168540723,"ts_ns":1796102168540723954}""";
    private static final String CONTENT_UPDATE = """
            {"before":null,"after":{"id":"610bd1fc-c43e-3989-9ec8-7162b65226c3","slug":"slug-2","title":\
            "Updated right before the outage","content_type":"newsletter","length_seconds":null,"publish_ts":\
            "2026-01-01T10:00:02.000000Z"},"source":{"version":"3.6.1.Final","connector":"postgresql","name":"cdc_outage",\
            "ts_ms":1796102169439,"snapshot":"false","db":"cdc_outage","schema":"public","table":"content","txId":760,\
            "lsn":28911320},"transaction":null,"op":"u","ts_ms":1796102169500}""";
    /** With the default replica identity a delete's "before" holds the key; the other columns are placeholders. */
    private static final String CONTENT_DELETE = """
            {"before":{"id":"928cae62-314b-3552-b918-ee4a2447da01","slug":"","title":"","content_type":"",\
            "length_seconds":null,"publish_ts":"1970-01-01T00:00:00Z"},"after":null,"source":{"version":"3.6.1.Final",\
            "connector":"postgresql","ts_ms":1796102170001,"snapshot":"false","schema":"public","table":"content",\
            "txId":761,"lsn":28912000},"transaction":null,"op":"d","ts_ms":1796102170100}""";
    private static final String EVENT_INSERT = """
            {"before":null,"after":{"id":1,"content_id":"610bd1fc-c43e-3989-9ec8-7162b65226c3","user_id":\
            "fdcfa1a8-5d72-4de9-852d-1bc19545b4bd","event_type":"play","event_ts":"2026-12-01T05:16:08.366680Z",\
            "duration_ms":100,"device":"tv","raw_payload":"{\\"session_id\\": \\"s-1\\", \\"ip\\": \\"10.0.0.1\\"}"},\
            "source":{"version":"3.6.1.Final","connector":"postgresql","ts_ms":1796102168357,"snapshot":"false",\
            "schema":"public","table":"engagement_events","txId":757,"lsn":28910160},"transaction":null,"op":"c",\
            "ts_ms":1796102168540}""";
    private static final String HEARTBEAT = "{\"heartbeat\":{\"ts_ms\":1796102172667,\"lsn\":28929200}}";

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static EngagementEvent event(String json) throws InvalidRecordException {
        // Event times of the fixtures are in 2026; none is "in the future" by more than this.
        return new EngagementEventDecoder(100L * 365 * 24 * HOUR).decode(bytes(json), ORIGIN);
    }

    @Test
    void readsInsertsUpdatesAndKeyOnlyDeletesOfContent() throws Exception {
        ContentChangeDecoder decoder = new ContentChangeDecoder();

        ContentChange insert = decoder.decode(bytes(CONTENT_INSERT), ORIGIN);
        ContentChange update = decoder.decode(bytes(CONTENT_UPDATE), ORIGIN);
        ContentChange delete = decoder.decode(bytes(CONTENT_DELETE), ORIGIN);

        assertThat(insert).isEqualTo(new ContentChange("610bd1fc-c43e-3989-9ec8-7162b65226c3", "slug-2",
                "Before the outage", "video", 61, false, 1796102168357L, 28910160L, false));
        assertThat(update.contentType()).isEqualTo("newsletter");
        assertThat(update.lengthSeconds()).isNull();
        assertThat(update.commitTs()).isEqualTo(1796102169439L);
        assertThat(update.lsn()).isEqualTo(28911320L);
        assertThat(delete.deleted()).isTrue();
        assertThat(delete.contentId()).isEqualTo("928cae62-314b-3552-b918-ee4a2447da01");
        assertThat(delete.contentType()).as("a placeholder, not the old value").isNull();
    }

    @Test
    void readsAnEventInsertWithItsCommitPositionAndTheHeartbeats() throws Exception {
        EngagementEvent e = event(EVENT_INSERT);

        assertThat(e.id()).isEqualTo(1);
        assertThat(e.contentId()).isEqualTo("610bd1fc-c43e-3989-9ec8-7162b65226c3");
        assertThat(e.eventType()).isEqualTo("play");
        assertThat(e.eventTs()).isEqualTo(Instant.parse("2026-12-01T05:16:08.366Z").toEpochMilli());
        assertThat(e.durationMs()).isEqualTo(100);
        assertThat(e.commitTs()).isEqualTo(1796102168357L);
        assertThat(e.lsn()).isEqualTo(28910160L);
        assertThat(e.origin()).isEqualTo("engagement.public.engagement_events-1-42");

        EngagementEvent beat = event(HEARTBEAT);
        assertThat(beat.heartbeat()).isTrue();
        assertThat(beat.commitTs()).isEqualTo(1796102172667L);
        assertThat(new ContentChangeDecoder().decode(bytes(HEARTBEAT), ORIGIN).heartbeat()).isTrue();
    }

    @Test
    void readsTheEnvelopeInsideKafkaConnectsSchemaWrapper() throws Exception {
        String wrapped = "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"x.Envelope\"},\"payload\":"
                + EVENT_INSERT + "}";

        assertThat(event(wrapped)).isEqualTo(event(EVENT_INSERT));
    }

    @Test
    void rejectsWhatIsNotAnEventInsertWithItsReason() {
        assertThatThrownBy(() -> event(EVENT_INSERT.replace("\"op\":\"c\"", "\"op\":\"u\"")))
                .hasMessageContaining("append-only").hasMessageContaining("event 1");
        assertThatThrownBy(() -> event(EVENT_INSERT.replace("\"duration_ms\":100", "\"duration_ms\":-5")))
                .hasMessageContaining("'duration_ms' must not be negative");
        assertThatThrownBy(() -> event(EVENT_INSERT.replace("\"event_type\":\"play\"", "\"event_type\":\"view\"")))
                .hasMessageContaining("'event_type' must be play, pause, finish or click");
        String payload = "\"raw_payload\":\"{\\\"session_id\\\": \\\"s-1\\\", \\\"ip\\\": \\\"10.0.0.1\\\"}\"";
        assertThat(EVENT_INSERT).contains(payload);
        assertThatThrownBy(() -> event(EVENT_INSERT.replace(payload, "\"raw_payload\":\"\\\"x\\\"\"")))
                .hasMessageContaining("'raw_payload' must be a JSON object");
        assertThatThrownBy(() -> event(EVENT_INSERT.replace("\\\"session_id\\\": \\\"s-1\\\", ", "")))
                .hasMessageContaining("'raw_payload' must name its 'session_id'");
        assertThatThrownBy(() -> event(EVENT_INSERT.replace(",\"lsn\":28910160", "")))
                .hasMessageContaining("'source.ts_ms' and 'source.lsn'");
        assertThatThrownBy(() -> event("")).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> event("{\"op\":")).hasMessageContaining("invalid JSON");
    }

    /** The original's connector flattened records (ExtractNewRecordState); they cannot be ordered by commit. */
    @Test
    void rejectsTheOriginalsFlattenedRecordsNamingTheTransform() {
        String flattened = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":7,\"content_id\":"
                + "\"610bd1fc-c43e-3989-9ec8-7162b65226c3\",\"user_id\":\"fdcfa1a8-5d72-4de9-852d-1bc19545b4bd\","
                + "\"event_type\":\"click\",\"event_ts\":\"2026-12-01T05:16:08.366680Z\",\"duration_ms\":null,"
                + "\"device\":\"ios\",\"raw_payload\":\"{}\",\"__op\":\"c\",\"__table\":\"engagement_events\","
                + "\"__db\":\"streaming_db\",\"__ts_ms\":1796102168540}}";

        assertThatThrownBy(() -> event(flattened)).hasMessageContaining("ExtractNewRecordState")
                .hasMessageContaining("commit position");
    }

    @Test
    void rejectsAnEventTooFarInTheFuture() {
        EngagementEventDecoder strict = new EngagementEventDecoder(HOUR);
        String future = EVENT_INSERT.replace("2026-12-01T05:16:08.366680Z", "2999-01-01T00:00:00Z");

        assertThatThrownBy(() -> strict.decode(bytes(future), ORIGIN)).hasMessageContaining("in the future");
    }
}
