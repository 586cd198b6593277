package io.millrace.function;

import io.millrace.model.OrderWindowResult;
import io.millrace.model.PaymentWindowResult;
import io.millrace.model.StockAverage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turn window accumulators into result records; means are exact decimals rounded HALF_UP to 8 places. */
public final class WindowResultFunctions {

    public static final int SCALE = 8;

    private WindowResultFunctions() {}

    static BigDecimal mean(BigDecimal sum, long count) {
        return sum.divide(BigDecimal.valueOf(count), SCALE, RoundingMode.HALF_UP);
    }

    /** One orders window (all orders, so a window over the whole stream). */
    public static final class Orders extends ProcessAllWindowFunction<OrderAccumulator, OrderWindowResult, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Context ctx, Iterable<OrderAccumulator> totals, Collector<OrderWindowResult> out) {
            OrderAccumulator acc = totals.iterator().next();
            out.collect(new OrderWindowResult(ctx.window().getStart(), ctx.window().getEnd(), acc.uniqueUsers(),
                    acc.orders(), acc.revenue(), mean(acc.revenue(), acc.orders()), System.currentTimeMillis()));
        }
    }

    /** One payments window. */
    public static final class Payments extends ProcessAllWindowFunction<PaymentAccumulator, PaymentWindowResult, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Context ctx, Iterable<PaymentAccumulator> totals, Collector<PaymentWindowResult> out) {
            PaymentAccumulator acc = totals.iterator().next();
            out.collect(new PaymentWindowResult(ctx.window().getStart(), ctx.window().getEnd(), acc.totalPaid(), acc.count(),
                    mean(BigDecimal.valueOf(acc.totalPaid()), acc.count())));
        }
    }

    /** One stock's sliding window. */
    public static final class Stocks extends ProcessWindowFunction<StockAccumulator, StockAverage, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String name, Context ctx, Iterable<StockAccumulator> totals, Collector<StockAverage> out) {
            StockAccumulator acc = totals.iterator().next();
            out.collect(new StockAverage(ctx.window().getStart(), ctx.window().getEnd(), name, mean(acc.sum(), acc.count()),
                    acc.min(), acc.max(), acc.count()));
        }
    }
}
