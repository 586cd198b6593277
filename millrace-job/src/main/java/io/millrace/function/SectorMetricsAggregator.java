package io.millrace.function;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Merges the partial totals of one sector window ({@link SectorMetricsPreAggregator}) into its totals. */
public final class SectorMetricsAggregator
        implements AggregateFunction<SectorWindowPartial, SectorAccumulator, SectorAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public SectorAccumulator createAccumulator() {
        return SectorAccumulator.EMPTY;
    }

    @Override
    public SectorAccumulator add(SectorWindowPartial partial, SectorAccumulator acc) {
        return acc.merge(partial.totals());
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
