package io.millrace.pipeline.orders;

import io.millrace.codec.OrderJsonDecoder;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.model.Order;
import io.millrace.pipeline.GeneratorSpec;
import io.millrace.pipeline.PipelineFlag;
import io.millrace.pipeline.WindowAggregationDefinition;
import io.millrace.verify.WindowOracle;
import io.millrace.pipeline.ResultChart;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code orders} pipeline: the {@code orders} topic (JSON) through {@link OrdersPipeline} into
 * {@code analytics-results} (key: window start, compacted), {@code orders.late} and {@code orders.dlq}, all
 * exactly once. Options: {@link OrdersConfig}.
 */
public final class OrdersDefinition extends WindowAggregationDefinition<OrdersConfig> {

    private static final ConfigKeys GENERATOR_OPTIONS = new ConfigKeys();
    static final ConfigKey<Integer> USERS = GENERATOR_OPTIONS.add(ConfigKey.integer("users", 1000, "distinct users"));

    @Override
    public String name() {
        return OrdersConfig.PIPELINE;
    }

    @Override
    public String description() {
        return "per 1-minute window of order.created events: unique users, orders, revenue and mean order value";
    }

    @Override
    public ConfigKeys keys() {
        return OrdersConfig.keys();
    }

    @Override
    public OrdersConfig config(Settings settings) {
        return OrdersConfig.from(settings);
    }

    @Override
    public List<PipelineFlag> flags() {
        return List.of(PipelineFlag.of("--distinct", OrdersConfig.DISTINCT,
                "unique_users exactly, or with a HyperLogLog sketch"));
    }

    @Override
    protected boolean compactResults() {
        return true;
    }

    @Override
    protected boolean resultsKeyedByWindowStart() {
        return true;
    }

    @Override
    protected void attach(StreamExecutionEnvironment env, OrdersConfig config) {
        SingleOutputStreamOperator<Order> orders = kafkaInput(env, config,
                new OrderJsonDecoder(config.common().maxFuture().toMillis()), Order.class, Order::createdAt);
        attachOutputs(config, OrdersPipeline.build(orders, config), r -> windowKey(r.windowStart()),
                WindowJsonEncoder::ordersWindow, orders.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
    }

    @Override
    protected WindowOracle windowOracle(OrdersConfig config, long now) {
        var c = config.common();
        return new OrdersOracle(c.windowSize().toMillis(), c.allowedLateness().toMillis(), c.outOfOrderness().toMillis(),
                c.maxFuture().toMillis(), config.distinct() == DistinctMode.APPROX, now);
    }

    @Override
    public GeneratorSpec generatorSpec() {
        return new GeneratorSpec(name(), List.of(), "Write order.created events to the orders topic: a pool of users, "
                + "amounts 5 to 500, created_at ISO-8601.", GENERATOR_OPTIONS, Map.of());
    }

    @Override
    public EventGenerator generator(OrdersConfig config, GeneratorOptions shared, Settings options) {
        return new OrderEventGenerator(shared, options.get(USERS));
    }

    @Override
    public long eventTime(OrdersConfig config, byte[] value) {
        return decodedTime(new OrderJsonDecoder(Long.MAX_VALUE / 4), Order::createdAt, value);
    }

    /** Users and orders, and revenue, per window, from the results topic. */
    @Override
    public List<ResultChart> resultCharts(OrdersConfig config) {
        return List.of(ResultChart.lines("Users and orders per window", "count", "window_start", null, "unique_users",
                        "total_orders"),
                ResultChart.lines("Revenue per window", "revenue", "window_start", null, "total_revenue"));
    }
}
