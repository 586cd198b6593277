package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast timestamp text against the JDK's parser: every formatted instant reads back as itself. */
class UtcTimestampTextTest {

    /** Written on its own, and after another day's timestamp (the day's text is cached between calls). */
    private static String text(long millis) {
        CopyRows alone = new CopyRows();
        alone.utcTimestamp(millis);
        CopyRows afterAnother = new CopyRows();
        afterAnother.utcTimestamp(millis - UtcTimestampText.MILLIS_PER_DAY * 400 - 1234);
        afterAnother.ascii(',');
        afterAnother.utcTimestamp(millis);
        String text = alone.toString();
        assertThat(afterAnother.toString()).endsWith("," + text);
        return text;
    }

    @Test
    void writesIsoUtcWithMillisecondsForKnownInstants() {
        assertThat(text(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(text(1_796_171_123_984L)).isEqualTo("2026-12-02T00:25:23.984Z");
        assertThat(text(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(text(951_782_400_000L)).isEqualTo("2000-02-29T00:00:00.000Z");
        assertThat(text(4_107_542_400_000L)).isEqualTo("2100-03-01T00:00:00.000Z");
    }

    @Test
    void readsBackAsTheSameInstantOverFourThousandYears() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long millis = random.nextLong(-62_135_596_800_000L, 253_402_300_799_999L);
            assertThat(Instant.parse(text(millis)).toEpochMilli()).as("%d", millis).isEqualTo(millis);
        }
    }

    @Test
    void yearsBeyondFourDigitsFallBackToTheGeneralFormatter() {
        long farFuture = 253_402_300_800_000L;
        assertThat(text(farFuture)).isEqualTo(Instant.ofEpochMilli(farFuture).toString());
    }
}
