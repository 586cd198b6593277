package io.millrace.pipeline.engagement;

import java.math.BigDecimal;

/**
 * An engagement event with the content it was about as the database held it when the event was committed:
 * its type and length, and the share of it that was consumed ({@code engagementPct}, null without a length
 * or a duration). {@code contentType} is {@link #UNKNOWN} when no content row was there.
 */
public record EnrichedEngagement(long id, String contentId, String userId, String eventType, long eventTs,
        Integer durationMs, String device, String contentType, Integer lengthSeconds, BigDecimal engagementPct,
        long commitTs) {

    public static final String UNKNOWN = "UNKNOWN";

    /** Event without content: its type unknown, no share. */
    static EnrichedEngagement unknown(EngagementEvent e) {
        return new EnrichedEngagement(e.id(), e.contentId(), e.userId(), e.eventType(), e.eventTs(), e.durationMs(),
                e.device(), UNKNOWN, null, null, e.commitTs());
    }

    static EnrichedEngagement joined(EngagementEvent e, ContentChange c) {
        return new EnrichedEngagement(e.id(), e.contentId(), e.userId(), e.eventType(), e.eventTs(), e.durationMs(),
                e.device(), c.contentType(), c.lengthSeconds(), EngagementShare.percent(e.durationMs(), c.lengthSeconds()),
                e.commitTs());
    }
}
