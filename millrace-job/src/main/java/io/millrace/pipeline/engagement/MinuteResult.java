package io.millrace.pipeline.engagement;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One minute of event time (by {@code event_ts}) for one value of a dimension: a content type, or an event
 * type; {@code averageShare} is the mean engagement share of the events that have one (8 decimals, HALF_UP).
 */
public record MinuteResult(Dimension dimension, long windowStart, String value, long events, long eventsWithShare,
        BigDecimal shareSum) {

    /** What a minute is counted by. */
    public enum Dimension {
        CONTENT_TYPE,
        EVENT_TYPE
    }

    public static final int SCALE = 8;

    /** Null when no event of the minute had a share. */
    public BigDecimal averageShare() {
        return eventsWithShare == 0 ? null : shareSum.divide(BigDecimal.valueOf(eventsWithShare), SCALE, RoundingMode.HALF_UP);
    }
}
