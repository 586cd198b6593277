package io.millrace.pipeline.engagement;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Redis keys the pipeline writes, named as the original's monitor reads them: per minute of event time
 * (UTC, {@code yyyyMMddHHmm}) the accesses and engagement by content type and the accesses by event type,
 * and the leaderboards over the last minutes.
 */
public final class RedisKeys {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    /** HASH content type → events of the minute. */
    public static final String ACCESS_BY_TYPE = "access:by_type:window:";
    /** HASH event type → events of the minute. */
    public static final String ACCESS_BY_EVENT = "access:by_event:window:";
    /** ZSET content type → summed engagement share of the minute. */
    public static final String ENGAGEMENT_BY_TYPE = "engagement:by_type:window:";
    /** HASH content type → mean share of the minute's events that have one (8 decimals). */
    public static final String ENGAGEMENT_AVG_BY_TYPE = "engagement:avg_by_type:window:";
    /** ZSET content id → accesses over the leaderboard's minutes (the top N). */
    public static final String TOP_BY_ACCESS = "stats:top_by_access";
    /** ZSET content id → summed share / accesses over the leaderboard's minutes (the top N). */
    public static final String TOP_BY_ENGAGEMENT = "stats:top_by_engagement";
    /** STRING: the minutes the leaderboards cover, {@code start/end} in ISO-8601. */
    public static final String LEADERBOARD_WINDOW = "stats:window";
    /** HASH sink/subtask → the watermark (commit time) up to which that writer's results are written. */
    public static final String PROGRESS = "millrace:progress:engagement";

    private RedisKeys() {}

    public static String minute(long windowStart) {
        return MINUTE.format(Instant.ofEpochMilli(windowStart));
    }
}
