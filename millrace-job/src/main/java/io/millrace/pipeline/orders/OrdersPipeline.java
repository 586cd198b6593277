package io.millrace.pipeline.orders;

import io.millrace.codec.ExplicitTypeInfo;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigKey;
import io.millrace.function.LateEventGate;
import io.millrace.function.LatenessRule;
import io.millrace.function.OrderAccumulator;
import io.millrace.function.OrderAccumulatorSerializer;
import io.millrace.function.OrderAnalyticsAggregator;
import io.millrace.function.WindowFiringTrigger;
import io.millrace.function.WindowResultFunctions;
import io.millrace.model.LateEvent;
import io.millrace.model.Order;
import io.millrace.model.OrderWindowResult;
import io.millrace.pipeline.WindowedResults;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The {@code orders} pipeline: orders with event-time timestamps ({@code created_at}) and
 * watermarks in; per 1-minute tumbling window over all created orders, distinct users, orders, exact
 * revenue and mean order value out, once per window (again only for late events within the allowed
 * lateness). Events of other types are ignored.
 */
public final class OrdersPipeline {

    private OrdersPipeline() {}

    public static WindowedResults<OrderWindowResult> build(DataStream<Order> orders, OrdersConfig config) {
        CommonSettings s = config.common();
        long size = s.windowSize().toMillis();
        LateEventGate.LateMapper<Order, LateEvent> asLate = (order, watermark) -> new LateEvent(OrdersConfig.PIPELINE,
                order.orderId(), order.partition(), order.createdAt(), watermark, LateEventGate.REASON,
                WindowJsonEncoder.order(order));
        LateEventGate<Order, LateEvent> gate = new LateEventGate<>(TypeInformation.of(Order.class), Order::createdAt,
                Order::partition, s.outOfOrderness().toMillis(), LatenessRule.tumbling(size, s.allowedLateness().toMillis()),
                asLate, TypeInformation.of(LateEvent.class));
        OutputTag<Order> rejected = new OutputTag<>("rejected-orders", TypeInformation.of(Order.class));
        SingleOutputStreamOperator<Order> onTime = orders
                .filter(order -> Order.CREATED.equals(order.eventType()))
                .name("Created orders")
                .process(gate)
                .name("Route late orders")
                .uid("late-order-gate");
        TypeInformation<OrderAccumulator> accumulator =
                new ExplicitTypeInfo<>(OrderAccumulator.class, OrderAccumulatorSerializer.INSTANCE);
        SingleOutputStreamOperator<OrderWindowResult> results = onTime
                .windowAll(TumblingEventTimeWindows.of(s.windowSize()))
                .trigger(WindowFiringTrigger.onTime(WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS))
                .allowedLateness(config.aggregation().windowRetention(s.allowedLateness()))
                .sideOutputLateData(rejected)
                .aggregate(new OrderAnalyticsAggregator(config.distinct() == DistinctMode.EXACT, config.hllLgK()),
                        new WindowResultFunctions.Orders(), accumulator, accumulator,
                        TypeInformation.of(OrderWindowResult.class))
                .name("Order analytics (" + ConfigKey.word(config.distinct()) + " distinct users)")
                .uid("order-analytics");
        return WindowedResults.of(results, onTime.getSideOutput(gate.lateTag()), rejected, asLate);
    }
}
