package io.millrace.pipeline.engagement;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Labels a minute's totals with its window start and dimension value. */
public final class MinuteResultFunction extends ProcessWindowFunction<MinuteTotals, MinuteResult, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final MinuteResult.Dimension dimension;

    public MinuteResultFunction(MinuteResult.Dimension dimension) {
        this.dimension = dimension;
    }

    @Override
    public void process(String value, Context ctx, Iterable<MinuteTotals> totals, Collector<MinuteResult> out) {
        MinuteTotals t = totals.iterator().next();
        out.collect(new MinuteResult(dimension, ctx.window().getStart(), value, t.events(), t.eventsWithShare(),
                t.shareSum()));
    }
}
