package io.millrace.pipeline.engagement;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The share of a content item an event consumed: {@code duration_ms / 10 / length_seconds}, in percent. */
public final class EngagementShare {

    /** Decimals kept: sums over many events stay exact and replays give the same values. */
    public static final int SCALE = 4;

    private EngagementShare() {}

    /** Null without a duration or without a positive length. */
    public static BigDecimal percent(Integer durationMs, Integer lengthSeconds) {
        if (durationMs == null || lengthSeconds == null || lengthSeconds <= 0) {
            return null;
        }
        return BigDecimal.valueOf(durationMs).divide(BigDecimal.valueOf(10L * lengthSeconds), SCALE, RoundingMode.HALF_UP);
    }
}
