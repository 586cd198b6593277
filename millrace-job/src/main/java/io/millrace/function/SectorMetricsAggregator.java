package io.millrace.function;

import io.millrace.model.EnrichedTrade;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incrementally aggregates the enriched trades of one sector window into a {@link SectorAccumulator}. */
public final class SectorMetricsAggregator implements AggregateFunction<EnrichedTrade, SectorAccumulator, SectorAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public SectorAccumulator createAccumulator() {
        return SectorAccumulator.EMPTY;
    }

    @Override
    public SectorAccumulator add(EnrichedTrade trade, SectorAccumulator acc) {
        return acc.add(trade.price(), trade.volume(), trade.tradeValue());
    }

    @Override
    public SectorAccumulator getResult(SectorAccumulator acc) {
        return acc;
    }

    @Override
    public SectorAccumulator merge(SectorAccumulator a, SectorAccumulator b) {
        return a.merge(b);
    }
}
