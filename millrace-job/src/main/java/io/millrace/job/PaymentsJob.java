package io.millrace.job;

import io.millrace.codec.StreamJsonEncoder;
import io.millrace.codec.TransactionJsonDecoder;
import io.millrace.config.PaymentsConfig;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.model.Transaction;
import io.millrace.pipeline.PaymentsPipeline;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import java.util.List;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code payments} job: the {@code transactions} topic (JSON) through {@link PaymentsPipeline} into
 * {@code transactions_aggregate} (key: window start, compacted), {@code payments.late} and
 * {@code payments.dlq}, all exactly once. Options: {@link PaymentsConfig}.
 */
public final class PaymentsJob {

    public static final String NAME = "millrace-payments";

    private PaymentsJob() {}

    public static void main(String[] args) throws Exception {
        PaymentsConfig config = PaymentsConfig.from(JobArguments.settings(args, PaymentsConfig.keys()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config.parallelism(), config.checkpointInterval(), config.checkpointDir(), config.stateBackend());
        TopicAdmin.ensure(config.kafka(), topics(config));
        attach(env, config);
        env.execute(NAME);
    }

    public static List<TopicSpec> topics(PaymentsConfig config) {
        return StreamJobs.topics(config.stream(), true);
    }

    public static void attach(StreamExecutionEnvironment env, PaymentsConfig config) {
        SingleOutputStreamOperator<Transaction> transactions = StreamJobs.kafkaInput(env, config.stream(),
                new TransactionJsonDecoder(config.timestampZone(), config.stream().maxFuture().toMillis()),
                Transaction.class, Transaction::eventTime);
        StreamJobs.attachOutputs(config.stream(), PaymentsPipeline.build(transactions, config),
                r -> StreamJobs.windowKey(r.windowStart()), StreamJsonEncoder::paymentsWindow,
                transactions.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
    }
}
