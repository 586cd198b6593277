package io.millrace.function;

import io.millrace.model.Order;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds orders to a window's {@link OrderAccumulator}: count, exact revenue, distinct users. */
public final class OrderAnalyticsAggregator implements AggregateFunction<Order, OrderAccumulator, OrderAccumulator> {
    private static final long serialVersionUID = 1L;

    private final boolean exact;
    private final int hllLgK;

    /**
     * @param exact distinct users as a set (true) or an HLL sketch of {@code 2^hllLgK} buckets
     */
    public OrderAnalyticsAggregator(boolean exact, int hllLgK) {
        this.exact = exact;
        this.hllLgK = hllLgK;
    }

    @Override
    public OrderAccumulator createAccumulator() {
        return exact ? OrderAccumulator.exact() : OrderAccumulator.approx(hllLgK);
    }

    @Override
    public OrderAccumulator add(Order order, OrderAccumulator acc) {
        acc.orders++;
        acc.revenue = acc.revenue.add(order.totalAmount());
        if (acc.users != null) {
            acc.users.add(order.userId());
        } else {
            acc.sketch.update(order.userId());
        }
        return acc;
    }

    @Override
    public OrderAccumulator getResult(OrderAccumulator acc) {
        return acc;
    }

    @Override
    public OrderAccumulator merge(OrderAccumulator a, OrderAccumulator b) {
        return OrderAccumulatorSerializer.merge(a, b);
    }
}
