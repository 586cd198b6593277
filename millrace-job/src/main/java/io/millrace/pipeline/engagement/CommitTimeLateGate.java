package io.millrace.pipeline.engagement;

import io.millrace.model.LateEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends to a side output the events committed after their minute (by {@code event_ts}) had closed for
 * good: after its end plus the allowed lateness, in commit time. The decision reads only the event itself
 * (its event time and its commit time), so a replay decides the same; the windows downstream, driven by the
 * commit-time watermark, never see an event this gate let through as too late.
 */
public final class CommitTimeLateGate extends ProcessFunction<EnrichedEngagement, EnrichedEngagement> {
    private static final long serialVersionUID = 1L;

    public static final String REASON = "committed after its minute closed (window end + allowed lateness)";
    public static final OutputTag<LateEvent> LATE = new OutputTag<>("late-engagement", TypeInformation.of(LateEvent.class));

    private final long windowMillis;
    private final long latenessMillis;
    private final String pipeline;

    public CommitTimeLateGate(long windowMillis, long latenessMillis, String pipeline) {
        this.windowMillis = windowMillis;
        this.latenessMillis = latenessMillis;
        this.pipeline = pipeline;
    }

    /** True if an event of {@code eventTs} committed at {@code commitTs} is beyond the allowed lateness. */
    public static boolean late(long eventTs, long commitTs, long windowMillis, long latenessMillis) {
        long windowEnd = Math.floorDiv(eventTs, windowMillis) * windowMillis + windowMillis;
        return windowEnd - 1 + latenessMillis <= commitTs;
    }

    @Override
    public void processElement(EnrichedEngagement e, Context ctx, Collector<EnrichedEngagement> out) {
        if (late(e.eventTs(), e.commitTs(), windowMillis, latenessMillis)) {
            ctx.output(LATE, new LateEvent(pipeline, Long.toString(e.id()), 0, e.eventTs(), e.commitTs(), REASON,
                    EngagementJson.enriched(e)));
        } else {
            out.collect(e);
        }
    }
}
