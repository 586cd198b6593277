package io.millrace.job;

import io.millrace.codec.OrderJsonDecoder;
import io.millrace.codec.StreamJsonEncoder;
import io.millrace.config.OrdersConfig;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.model.Order;
import io.millrace.pipeline.OrdersPipeline;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import java.util.List;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code orders} job: the {@code orders} topic (JSON) through {@link OrdersPipeline} into
 * {@code analytics-results} (key: window start, compacted), {@code orders.late} and {@code orders.dlq}, all
 * exactly once. Options: {@link OrdersConfig}.
 */
public final class OrdersJob {

    public static final String NAME = "millrace-orders";

    private OrdersJob() {}

    public static void main(String[] args) throws Exception {
        OrdersConfig config = OrdersConfig.from(JobArguments.settings(args, OrdersConfig.keys()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config.parallelism(), config.checkpointInterval(), config.checkpointDir(), config.stateBackend());
        TopicAdmin.ensure(config.kafka(), topics(config));
        attach(env, config);
        env.execute(NAME);
    }

    public static List<TopicSpec> topics(OrdersConfig config) {
        return StreamJobs.topics(config.stream(), true);
    }

    public static void attach(StreamExecutionEnvironment env, OrdersConfig config) {
        SingleOutputStreamOperator<Order> orders = StreamJobs.kafkaInput(env, config.stream(),
                new OrderJsonDecoder(config.stream().maxFuture().toMillis()), Order.class, Order::createdAt);
        StreamJobs.attachOutputs(config.stream(), OrdersPipeline.build(orders, config),
                r -> StreamJobs.windowKey(r.windowStart()), StreamJsonEncoder::ordersWindow,
                orders.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
    }
}
