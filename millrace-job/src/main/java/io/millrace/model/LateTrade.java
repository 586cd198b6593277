package io.millrace.model;

import java.math.BigDecimal;

/** A valid trade that arrived after its window's allowed lateness had passed; it is reported, never counted. */
public record LateTrade(
        String tradeId,
        String symbol,
        BigDecimal price,
        long volume,
        long tradeTimestamp,
        long watermark,
        String reason) {

    public static LateTrade of(Trade trade, long watermark, String reason) {
        return new LateTrade(trade.tradeId(), trade.symbol(), trade.price(), trade.volume(), trade.timestamp(),
                watermark, reason);
    }
}
