package io.millrace.pipeline.engagement;

import io.millrace.config.CommonSettings;
import io.millrace.function.PayloadTimeTumblingWindows;
import io.millrace.function.WindowFiringTrigger;
import io.millrace.model.LateEvent;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The {@code engagement} pipeline as a function over streams: content changes and engagement events, both
 * timestamped with their commit time (the change stream's clock, with its watermarks), in; events enriched
 * with their content as it was when they were committed, per-minute statistics by content type and by
 * event type, rolling leaderboards of content items, and events committed too late for their minute, out.
 * Minutes are minutes of {@code event_ts}; whether a minute is final is a matter of commit time.
 */
public final class EngagementPipeline {

    /** The enrichment operator's name. */
    public static final String ENRICHMENT = "Content enrichment";

    private EngagementPipeline() {}

    public static EngagementResults build(DataStream<ContentChange> content, DataStream<EngagementEvent> events,
            EngagementConfig config) {
        CommonSettings c = config.common();
        long minute = c.windowSize().toMillis();
        long lateness = c.allowedLateness().toMillis();

        SingleOutputStreamOperator<EnrichedEngagement> enriched = content
                .keyBy(ContentChange::contentId)
                .connect(events.keyBy(EngagementEvent::contentId))
                .process(new EngagementEnrichmentFunction(config.maxWait().toMillis(), config.dedupRetention().toMillis()),
                        TypeInformation.of(EnrichedEngagement.class))
                .name(ENRICHMENT)
                .uid("content-enrichment");

        SingleOutputStreamOperator<EnrichedEngagement> onTime = enriched
                .process(new CommitTimeLateGate(minute, lateness, EngagementConfig.PIPELINE),
                        TypeInformation.of(EnrichedEngagement.class))
                .name("Route late events")
                .uid("late-engagement-gate");
        DataStream<LateEvent> late = onTime.getSideOutput(CommitTimeLateGate.LATE);

        DataStream<MinuteResult> byContentType = minutes(onTime, MinuteResult.Dimension.CONTENT_TYPE, minute, lateness,
                "Minutes by content type", "minutes-by-content-type");
        DataStream<MinuteResult> byEventType = minutes(onTime, MinuteResult.Dimension.EVENT_TYPE, minute, lateness,
                "Minutes by event type", "minutes-by-event-type");

        // One ranking over all content: a single key, so one operator instance sees every item.
        SingleOutputStreamOperator<Leaderboard> leaderboards = onTime
                .keyBy(e -> 0, TypeInformation.of(Integer.class))
                .process(new LeaderboardFunction(minute, lateness, config.leaderboardMinutes(), config.topN()),
                        TypeInformation.of(Leaderboard.class))
                .name("Leaderboards")
                .uid("leaderboards");

        return new EngagementResults(enriched, byContentType.union(byEventType), leaderboards, late);
    }

    private static DataStream<MinuteResult> minutes(DataStream<EnrichedEngagement> events, MinuteResult.Dimension dimension,
            long minute, long lateness, String name, String uid) {
        return events
                .keyBy(e -> dimension == MinuteResult.Dimension.CONTENT_TYPE ? e.contentType() : e.eventType(),
                        TypeInformation.of(String.class))
                .window(new PayloadTimeTumblingWindows<EnrichedEngagement>(minute, EnrichedEngagement::eventTs))
                .allowedLateness(Duration.ofMillis(lateness))
                .trigger(WindowFiringTrigger.onTime(WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS))
                .aggregate(new MinuteTotalsAggregator(), new MinuteResultFunction(dimension),
                        TypeInformation.of(MinuteTotals.class), TypeInformation.of(MinuteTotals.class),
                        TypeInformation.of(MinuteResult.class))
                .name(name)
                .uid(uid);
    }
}
