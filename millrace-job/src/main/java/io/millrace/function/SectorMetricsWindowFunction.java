package io.millrace.function;

import io.millrace.model.SectorMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a sector window's totals into its result row: means rounded HALF_UP to 8 decimals. */
public final class SectorMetricsWindowFunction
        extends ProcessWindowFunction<SectorAccumulator, SectorMetrics, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    public static final int SCALE = 8;

    @Override
    public void process(String sector, Context ctx, Iterable<SectorAccumulator> totals, Collector<SectorMetrics> out) {
        SectorAccumulator acc = totals.iterator().next();
        boolean early = ctx.window().maxTimestamp() > ctx.currentWatermark();
        out.collect(toMetrics(sector, ctx.window().getStart(), ctx.window().getEnd(), acc, early));
    }

    public static SectorMetrics toMetrics(String sector, long start, long end, SectorAccumulator acc, boolean early) {
        BigDecimal count = BigDecimal.valueOf(acc.count());
        return new SectorMetrics(start, end, sector, acc.count(), acc.volume(), acc.value(),
                acc.priceSum().divide(count, SCALE, RoundingMode.HALF_UP),
                acc.value().divide(BigDecimal.valueOf(acc.volume()), SCALE, RoundingMode.HALF_UP),
                acc.minPrice(), acc.maxPrice(), early);
    }
}
