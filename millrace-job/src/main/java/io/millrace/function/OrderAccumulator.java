package io.millrace.function;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

/**
 * Running totals of one orders window: count, exact revenue, and the distinct users either exactly (a set
 * of ids) or approximately (an HLL sketch). Mutable, as window accumulators are; serialized by
 * {@link OrderAccumulatorSerializer} only at checkpoints.
 */
public final class OrderAccumulator {
    long orders;
    BigDecimal revenue = BigDecimal.ZERO;
    Set<String> users;
    HllSketch sketch;

    static OrderAccumulator exact() {
        OrderAccumulator acc = new OrderAccumulator();
        acc.users = new HashSet<>();
        return acc;
    }

    static OrderAccumulator approx(int lgK) {
        OrderAccumulator acc = new OrderAccumulator();
        acc.sketch = new HllSketch(lgK, TgtHllType.HLL_8);
        return acc;
    }

    public long orders() {
        return orders;
    }

    public BigDecimal revenue() {
        return revenue;
    }

    /** Distinct users: exact count, or the sketch's estimate rounded to the nearest integer. */
    public long uniqueUsers() {
        return users != null ? users.size() : Math.round(sketch.getEstimate());
    }
}
