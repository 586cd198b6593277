package io.millrace.pipeline.engagement;

/**
 * One row inserted into {@code engagement_events}, as captured: its values, and when and where in the log
 * it was committed. A heartbeat carries no row (see {@link ContentChange}).
 *
 * @param durationMs null for clicks and for content without a length
 * @param origin {@code topic-partition-offset} of the change record, for late-event reports
 */
public record EngagementEvent(long id, String contentId, String userId, String eventType, long eventTs,
        Integer durationMs, String device, long commitTs, long lsn, String origin, boolean heartbeat) {

    public static EngagementEvent heartbeat(long commitTs) {
        return new EngagementEvent(-1, null, null, null, 0, null, null, commitTs, Long.MAX_VALUE, null, true);
    }
}
