package io.millrace.pipeline.engagement;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds the events of one minute and one dimension value into {@link MinuteTotals}. */
public final class MinuteTotalsAggregator implements AggregateFunction<EnrichedEngagement, MinuteTotals, MinuteTotals> {
    private static final long serialVersionUID = 1L;

    @Override
    public MinuteTotals createAccumulator() {
        return MinuteTotals.EMPTY;
    }

    @Override
    public MinuteTotals add(EnrichedEngagement event, MinuteTotals totals) {
        return totals.add(event.engagementPct());
    }

    @Override
    public MinuteTotals getResult(MinuteTotals totals) {
        return totals;
    }

    @Override
    public MinuteTotals merge(MinuteTotals a, MinuteTotals b) {
        return a.merge(b);
    }
}
