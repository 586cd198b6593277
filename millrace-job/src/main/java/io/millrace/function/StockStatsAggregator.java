package io.millrace.function;

import io.millrace.model.StockTick;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Aggregates the prices of one stock's window. */
public final class StockStatsAggregator implements AggregateFunction<StockTick, StockAccumulator, StockAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public StockAccumulator createAccumulator() {
        return StockAccumulator.EMPTY;
    }

    @Override
    public StockAccumulator add(StockTick tick, StockAccumulator acc) {
        return acc.add(tick.price());
    }

    @Override
    public StockAccumulator getResult(StockAccumulator acc) {
        return acc;
    }

    @Override
    public StockAccumulator merge(StockAccumulator a, StockAccumulator b) {
        return a.merge(b);
    }
}
