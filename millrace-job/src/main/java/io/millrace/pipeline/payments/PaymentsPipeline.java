package io.millrace.pipeline.payments;

import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.CommonSettings;
import io.millrace.function.LateEventGate;
import io.millrace.function.LatenessRule;
import io.millrace.function.PaymentAggregator;
import io.millrace.function.WindowFiringTrigger;
import io.millrace.function.WindowResultFunctions;
import io.millrace.model.LateEvent;
import io.millrace.model.PaymentWindowResult;
import io.millrace.model.Transaction;
import io.millrace.pipeline.WindowedResults;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The {@code payments} pipeline: transactions with event-time timestamps in; per 3-second
 * tumbling window, the sum, number and exact mean of the paid ones out. Refused ones are ignored.
 */
public final class PaymentsPipeline {

    private PaymentsPipeline() {}

    public static WindowedResults<PaymentWindowResult> build(DataStream<Transaction> transactions, PaymentsConfig config) {
        CommonSettings s = config.common();
        LateEventGate.LateMapper<Transaction, LateEvent> asLate = (t, watermark) -> new LateEvent(PaymentsConfig.PIPELINE,
                t.transactionId(), t.partition(), t.eventTime(), watermark, LateEventGate.REASON,
                WindowJsonEncoder.transaction(t));
        LateEventGate<Transaction, LateEvent> gate = new LateEventGate<>(TypeInformation.of(Transaction.class),
                Transaction::eventTime, Transaction::partition, s.outOfOrderness().toMillis(),
                LatenessRule.tumbling(s.windowSize().toMillis(), s.allowedLateness().toMillis()), asLate,
                TypeInformation.of(LateEvent.class));
        OutputTag<Transaction> rejected = new OutputTag<>("rejected-transactions", TypeInformation.of(Transaction.class));
        SingleOutputStreamOperator<Transaction> onTime = transactions
                .filter(t -> Transaction.PAID.equals(t.status()))
                .name("Paid transactions")
                .process(gate)
                .name("Route late transactions")
                .uid("late-transaction-gate");
        SingleOutputStreamOperator<PaymentWindowResult> results = onTime
                .windowAll(TumblingEventTimeWindows.of(s.windowSize()))
                .trigger(WindowFiringTrigger.onTime(WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS))
                .allowedLateness(config.aggregation().windowRetention(s.allowedLateness()))
                .sideOutputLateData(rejected)
                .aggregate(new PaymentAggregator(), new WindowResultFunctions.Payments())
                .name("Paid income")
                .uid("paid-income");
        return WindowedResults.of(results, onTime.getSideOutput(gate.lateTag()), rejected, asLate);
    }
}
