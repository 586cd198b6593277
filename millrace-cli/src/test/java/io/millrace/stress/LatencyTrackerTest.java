package io.millrace.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOutput;
import io.millrace.pipeline.LatencyProbe;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * The tracker against a probe whose results the test makes visible: it follows one record in {@code sampleEvery},
 * measures from the stored timestamp the output reports, and its recent percentiles cover only what became visible.
 */
class LatencyTrackerTest {
    /** Results the test has made visible, by the record's key. */
    private final Set<Object> visible = ConcurrentHashMap.newKeySet();

    private final LatencyProbe probe = new LatencyProbe() {
        @Override
        public Object resultKey(GeneratedRecord record) {
            return new String(record.key(), StandardCharsets.UTF_8);
        }

        @Override
        public Set<Object> visible(Collection<Object> pending) {
            Set<Object> seen = new HashSet<>(pending);
            seen.retainAll(visible);
            return seen;
        }

        @Override
        public String describe() {
            return "a key the test made visible";
        }

        @Override
        public void close() {}
    };

    /** An output whose records were "stored" {@code ageMillis} before the hand-over. */
    private static GeneratorOutput storedAgo(long ageMillis) {
        return new GeneratorOutput() {
            @Override
            public void send(GeneratedRecord record) {}

            @Override
            public void send(GeneratedRecord record, LongConsumer appended) {
                appended.accept(System.currentTimeMillis() - ageMillis);
            }

            @Override
            public String mainTarget() {
                return "main";
            }

            @Override
            public String referenceTarget() {
                return null;
            }

            @Override
            public void flush() {}

            @Override
            public int closingRecords() {
                return 1;
            }

            @Override
            public void close() {}
        };
    }

    private static GeneratedRecord record(int n) {
        return new GeneratedRecord(GeneratedRecord.Kind.TRADE, GeneratedRecord.Target.MAIN, null,
                ("k" + n).getBytes(StandardCharsets.UTF_8), new byte[0], n);
    }

    @Test
    void followsOneInSampleEveryAndMeasuresFromTheStoredTimestamp() throws Exception {
        try (LatencyTracker tracker = new LatencyTracker(probe, 10)) {
            GeneratorOutput output = tracker.follow(storedAgo(2_000));
            for (int n = 0; n < 100; n++) {
                output.send(record(n));
            }
            // Records 0, 10, ..., 90 are followed; make half of them visible.
            for (int n = 0; n < 50; n += 10) {
                visible.add("k" + n);
            }
            assertThat(tracker.awaitVisible(1_000)).isEqualTo(5);
            StageResult.Latency recent = tracker.recent(30_000);
            assertThat(recent.samples()).isEqualTo(5);
            assertThat(recent.unresolved()).isEqualTo(5);
            // Stored 2 s before the hand-over, seen within a few polls of 100 ms.
            assertThat(recent.p50()).isBetween(2_000L, 3_000L);
            assertThat(recent.p99()).isBetween(2_000L, 3_000L);
            assertThat(tracker.latency(0).samples()).isEqualTo(5);

            for (int n = 50; n < 100; n += 10) {
                visible.add("k" + n);
            }
            assertThat(tracker.awaitVisible(2_000)).isZero();
            assertThat(tracker.recent(30_000).samples()).isEqualTo(10);
            Thread.sleep(300);
            // Nothing became visible in the last 200 ms.
            assertThat(tracker.recent(200).samples()).isZero();
        }
    }

    @Test
    void recordsOfTheUnfollowedStageAreNotFollowed() throws Exception {
        try (LatencyTracker tracker = new LatencyTracker(probe, 1)) {
            tracker.stage(LatencyTracker.UNFOLLOWED);
            GeneratorOutput output = tracker.follow(storedAgo(0));
            output.send(record(1));
            visible.add("k1");
            assertThat(tracker.awaitVisible(500)).isZero();
            assertThat(tracker.recent(30_000).samples()).isZero();
        }
    }
}
