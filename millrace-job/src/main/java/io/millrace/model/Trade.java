package io.millrace.model;

import io.millrace.codec.TradeSerializer;
import java.math.BigDecimal;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One executed trade from {@code stock-trades}; {@code timestamp} is the event time (epoch ms).
 *
 * @param tradeId idempotency key: the payload's {@code trade_id}, or {@code <topic>-<partition>-<offset>}
 * @param partition the input partition it was read from: lateness is judged against that partition's
 *     own event-time progress, which every replay sees identically
 */
@TypeInfo(TradeSerializer.TypeFactory.class)
public record Trade(String tradeId, String symbol, BigDecimal price, long volume, long timestamp, int partition) {

    /** Exact notional value of the trade. */
    public BigDecimal value() {
        return price.multiply(BigDecimal.valueOf(volume));
    }
}
