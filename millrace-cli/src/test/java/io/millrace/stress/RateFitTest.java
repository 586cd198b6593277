package io.millrace.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rates from counters read through a metric fetcher that is up to a second stale. */
class RateFitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldMeasureTheRateDespiteStaleAndJitteryReadings() {
        // 5 000 records/s, each reading 0 to 1 s stale (alternating; the first stale, the last fresh), read once a second for 15 s.
        List<RateFit.Point> points = new ArrayList<>();
        for (int s = 1; s <= 15; s++) {
            double staleness = s % 2 == 1 && s < 15 ? 1.0 : 0.0;
            points.add(new RateFit.Point(s * SECOND, (long) (5_000 * (s - staleness))));
        }
        // The difference of the first and last readings is off by a second's worth over 14 s.
        double difference = (points.get(14).value() - points.get(0).value()) / 14.0;
        assertThat(difference).isCloseTo(5_357, within(1.0));
        assertThat(RateFit.perSecond(points)).isCloseTo(5_000, within(5_000 * 0.03));
    }

    @Test
    void shouldGiveNoRateFromTooFewReadings() {
        assertThat(RateFit.perSecond(List.of(new RateFit.Point(0, 0), new RateFit.Point(SECOND, 10)))).isNaN();
    }
}
