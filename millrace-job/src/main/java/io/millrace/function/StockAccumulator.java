package io.millrace.function;

import java.math.BigDecimal;

/** Count, exact sum, min and max of the prices in one stock window. */
public record StockAccumulator(long count, BigDecimal sum, BigDecimal min, BigDecimal max) {

    public static final StockAccumulator EMPTY = new StockAccumulator(0, BigDecimal.ZERO, null, null);

    public StockAccumulator add(BigDecimal price) {
        return new StockAccumulator(count + 1, sum.add(price), min == null || price.compareTo(min) < 0 ? price : min,
                max == null || price.compareTo(max) > 0 ? price : max);
    }

    public StockAccumulator merge(StockAccumulator o) {
        if (o.count == 0) {
            return this;
        }
        if (count == 0) {
            return o;
        }
        return new StockAccumulator(count + o.count, sum.add(o.sum), o.min.compareTo(min) < 0 ? o.min : min,
                o.max.compareTo(max) > 0 ? o.max : max);
    }
}
