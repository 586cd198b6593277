package io.millrace.pipeline.market;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.LateTrade;
import io.millrace.model.SectorMetrics;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The result streams of the {@code market} pipeline. */
public record MarketResults(DataStream<EnrichedTrade> enriched, DataStream<SectorMetrics> sectorMetrics,
        DataStream<LateTrade> lateTrades) {}
