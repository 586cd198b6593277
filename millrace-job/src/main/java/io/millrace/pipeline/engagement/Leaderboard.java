package io.millrace.pipeline.engagement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The content items with the most accesses and with the highest engagement over the minutes of event time
 * ending with {@code windowEnd}: engagement is a content item's summed share over all its accesses, clicks
 * and events without a share counting 0, divided by its accesses.
 */
public record Leaderboard(long windowStart, long windowEnd, List<Score> byAccess, List<Score> byEngagement) {

    /** One content item's accesses and summed share over the leaderboard's span. */
    public record Score(String contentId, long accesses, BigDecimal shareSum) {

        public static final int SCALE = 4;

        public BigDecimal engagement() {
            return shareSum.divide(BigDecimal.valueOf(accesses), SCALE, RoundingMode.HALF_UP);
        }
    }
}
