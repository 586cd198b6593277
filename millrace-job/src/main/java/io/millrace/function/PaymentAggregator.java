package io.millrace.function;

import io.millrace.model.Transaction;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Sums the amounts of a window's (paid) transactions. */
public final class PaymentAggregator implements AggregateFunction<Transaction, PaymentAccumulator, PaymentAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public PaymentAccumulator createAccumulator() {
        return new PaymentAccumulator(0, 0);
    }

    @Override
    public PaymentAccumulator add(Transaction t, PaymentAccumulator acc) {
        return new PaymentAccumulator(Math.addExact(acc.totalPaid(), t.totalPaid()), acc.count() + 1);
    }

    @Override
    public PaymentAccumulator getResult(PaymentAccumulator acc) {
        return acc;
    }

    @Override
    public PaymentAccumulator merge(PaymentAccumulator a, PaymentAccumulator b) {
        return new PaymentAccumulator(a.totalPaid() + b.totalPaid(), a.count() + b.count());
    }
}
