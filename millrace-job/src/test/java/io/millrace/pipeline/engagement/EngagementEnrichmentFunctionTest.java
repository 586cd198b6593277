package io.millrace.pipeline.engagement;

import static io.millrace.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Harness tests of the commit-time join: the content row as it was when the event was committed, whatever
 * the arrival order; content committed after the event (within the wait); deleted and never-seen content;
 * second deliveries; and state and timers cleaned up.
 */
class EngagementEnrichmentFunctionTest {

    private static final long MAX_WAIT = Duration.ofSeconds(30).toMillis();
    private static final long RETENTION = Duration.ofMinutes(10).toMillis();
    private static final String VIDEO = "c-video";

    private KeyedTwoInputStreamOperatorTestHarness<String, ContentChange, EngagementEvent, EnrichedEngagement> harness;
    private long lsn;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new EngagementEnrichmentFunction(MAX_WAIT, RETENTION), ContentChange::contentId, EngagementEvent::contentId,
                Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private ContentChange content(String type, Integer length, long committed) {
        return new ContentChange(VIDEO, "slug", "Title", type, length, false, committed, ++lsn, false);
    }

    private ContentChange deleted(long committed) {
        return new ContentChange(VIDEO, null, null, null, null, true, committed, ++lsn, false);
    }

    private EngagementEvent event(long id, String type, Integer duration, long committed) {
        return new EngagementEvent(id, VIDEO, "u-" + id, type, committed - 200, duration, "ios", committed, ++lsn,
                "events-0-" + id, false);
    }

    private void send(ContentChange change) throws Exception {
        harness.processElement1(new StreamRecord<>(change, change.commitTs()));
    }

    private void send(EngagementEvent event) throws Exception {
        harness.processElement2(new StreamRecord<>(event, event.commitTs()));
    }

    private void watermark(long timestamp) throws Exception {
        harness.processBothWatermarks(new Watermark(timestamp));
    }

    private List<String> output() {
        return harness.extractOutputValues().stream()
                .map(e -> e.id() + ":" + e.contentType() + ":" + e.lengthSeconds() + ":" + e.engagementPct()).toList();
    }

    @Test
    void joinsTheRowAsItWasWhenTheEventWasCommittedWhateverArrivesFirst() throws Exception {
        send(content("video", 100, at("10:00:00")));
        // The event of 10:00:10 arrives after the update of 10:00:20 (another topic, another pace)...
        send(content("podcast", 200, at("10:00:20")));
        send(event(1, "play", 50_000, at("10:00:10")));
        send(event(2, "play", 50_000, at("10:00:30")));
        watermark(at("10:00:09.999"));
        assertThat(output()).isEmpty();

        watermark(at("10:00:40"));
        // ...yet it gets the row before the update: 50 s of a 100 s video is 50 %, of a 200 s podcast 25 %.
        assertThat(output()).containsExactly("1:video:100:50.0000", "2:podcast:200:25.0000");
    }

    @Test
    void anEventCommittedBeforeItsContentTakesTheFirstRowWithinTheWait() throws Exception {
        send(event(1, "finish", 10_000, at("10:00:00")));
        watermark(at("10:00:05"));
        assertThat(output()).as("no row yet: it waits").isEmpty();

        send(content("course", 40, at("10:00:20")));
        watermark(at("10:00:29.999"));
        assertThat(output()).as("the wait is not over").isEmpty();
        watermark(at("10:00:30"));
        assertThat(output()).containsExactly("1:course:40:25.0000");
    }

    @Test
    void contentThatNeverArrivesOrWasDeletedGivesUnknown() throws Exception {
        send(event(1, "click", null, at("10:00:00")));
        watermark(at("10:00:30"));
        assertThat(output()).containsExactly("1:UNKNOWN:null:null");

        send(content("ebook", null, at("10:01:00")));
        send(deleted(at("10:02:00")));
        send(event(2, "play", 5_000, at("10:01:30")));
        send(event(3, "play", 5_000, at("10:02:30")));
        watermark(at("10:03:00"));
        // An ebook has no length, so no share; after the delete the content is unknown.
        assertThat(output()).containsExactly("1:UNKNOWN:null:null", "2:ebook:null:null", "3:UNKNOWN:null:null");
    }

    @Test
    void aSecondDeliveryOfAnEventIsDroppedAndForgottenAfterTheRetention() throws Exception {
        send(content("video", 100, at("10:00:00")));
        send(event(1, "pause", 1_000, at("10:00:10")));
        watermark(at("10:00:20"));
        send(event(1, "pause", 1_000, at("10:00:10")));
        watermark(at("10:00:30"));
        assertThat(output()).containsExactly("1:video:100:1.0000");

        watermark(at("10:00:10") + RETENTION);
        // Only the newest content version is kept; no event, id or timer is left behind.
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void olderVersionsArePrunedOnceNoEventCanNeedThem() throws Exception {
        send(content("video", 100, at("10:00:00")));
        send(content("video", 120, at("10:01:00")));
        send(content("video", 150, at("10:02:00")));
        send(event(1, "play", 60_000, at("10:02:10")));
        watermark(at("10:05:00"));
        assertThat(output()).containsExactly("1:video:150:40.0000");

        watermark(at("10:02:10") + RETENTION);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }
}
