package io.millrace.pipeline.engagement;

import io.millrace.model.LateEvent;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The result streams of the {@code engagement} pipeline; {@code enriched} holds every valid event, late ones included. */
public record EngagementResults(DataStream<EnrichedEngagement> enriched, DataStream<MinuteResult> minutes,
        DataStream<Leaderboard> leaderboards, DataStream<LateEvent> late) {}
