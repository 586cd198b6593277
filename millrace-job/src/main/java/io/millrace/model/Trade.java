package io.millrace.model;

import java.math.BigDecimal;

/**
 * One executed trade from {@code stock-trades}; {@code timestamp} is the event time (epoch ms).
 *
 * @param tradeId idempotency key: the payload's {@code trade_id}, or {@code <topic>-<partition>-<offset>}
 */
public record Trade(String tradeId, String symbol, BigDecimal price, long volume, long timestamp) {

    /** Exact notional value of the trade. */
    public BigDecimal value() {
        return price.multiply(BigDecimal.valueOf(volume));
    }
}
