package io.millrace.pipeline.payments;

import io.millrace.codec.TransactionJsonDecoder;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.model.Transaction;
import io.millrace.pipeline.GeneratorSpec;
import io.millrace.pipeline.WindowAggregationDefinition;
import io.millrace.verify.WindowOracle;
import io.millrace.pipeline.ResultChart;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code payments} pipeline: the {@code transactions} topic (JSON) through {@link PaymentsPipeline} into
 * {@code transactions_aggregate} (key: window start, compacted), {@code payments.late} and
 * {@code payments.dlq}, all exactly once. Options: {@link PaymentsConfig}.
 */
public final class PaymentsDefinition extends WindowAggregationDefinition<PaymentsConfig> {

    @Override
    public String name() {
        return PaymentsConfig.PIPELINE;
    }

    @Override
    public String description() {
        return "paid income per 3-second window: total, count and exact mean of paid transactions";
    }

    @Override
    public ConfigKeys keys() {
        return PaymentsConfig.keys();
    }

    @Override
    public PaymentsConfig config(Settings settings) {
        return PaymentsConfig.from(settings);
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
    protected void attach(StreamExecutionEnvironment env, PaymentsConfig config) {
        SingleOutputStreamOperator<Transaction> transactions = kafkaInput(env, config,
                new TransactionJsonDecoder(config.timestampZone(), config.common().maxFuture().toMillis()),
                Transaction.class, Transaction::eventTime);
        attachOutputs(config, PaymentsPipeline.build(transactions, config), r -> windowKey(r.windowStart()),
                WindowJsonEncoder::paymentsWindow, transactions.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
    }

    @Override
    protected WindowOracle windowOracle(PaymentsConfig config, long now) {
        var c = config.common();
        return new PaymentsOracle(c.windowSize().toMillis(), c.allowedLateness().toMillis(), c.outOfOrderness().toMillis(),
                c.maxFuture().toMillis(), config.timestampZone(), now);
    }

    @Override
    public GeneratorSpec generatorSpec() {
        return new GeneratorSpec(name(), List.of(), "Write transactions to the transactions topic: ten fixed users, the "
                + "one whose id starts with digit d always pays 10·d (0 pays 100), half of them Paid; naive timestamps "
                + "in input.timestamp-zone.", new ConfigKeys(), Map.of());
    }

    @Override
    public EventGenerator generator(PaymentsConfig config, GeneratorOptions shared, Settings options) {
        return new PaymentEventGenerator(shared, config.timestampZone());
    }

    @Override
    public long eventTime(PaymentsConfig config, byte[] value) {
        return decodedTime(new TransactionJsonDecoder(config.timestampZone(), Long.MAX_VALUE / 4),
                Transaction::eventTime, value);
    }

    /** Paid income and transactions per window, from the results topic. */
    @Override
    public List<ResultChart> resultCharts(PaymentsConfig config) {
        return List.of(ResultChart.lines("Paid income per window", "amount paid", "window_start", null, "total_paid"),
                ResultChart.lines("Paid transactions per window", "transactions", "window_start", null,
                        "total_transactions"));
    }
}
