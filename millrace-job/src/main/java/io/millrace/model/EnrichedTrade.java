package io.millrace.model;

import io.millrace.codec.EnrichedTradeSerializer;
import java.math.BigDecimal;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A trade joined with the info version valid at its event time; when no version arrived within
 * {@code enrichment.max-wait}, {@code enriched} is false, {@code sector} is {@link #UNKNOWN_SECTOR} and
 * the info fields are null.
 */
@TypeInfo(EnrichedTradeSerializer.TypeFactory.class)
public record EnrichedTrade(
        String tradeId,
        String symbol,
        BigDecimal price,
        long volume,
        long tradeTimestamp,
        String company,
        String sector,
        Long marketCap,
        Long infoTimestamp,
        BigDecimal tradeValue,
        boolean enriched) {

    public static final String UNKNOWN_SECTOR = "UNKNOWN";

    public static EnrichedTrade joined(Trade trade, MarketInfo info) {
        return new EnrichedTrade(trade.tradeId(), trade.symbol(), trade.price(), trade.volume(), trade.timestamp(),
                info.company(), info.sector(), info.marketCap(), info.timestamp(), trade.value(), true);
    }

    public static EnrichedTrade unknown(Trade trade) {
        return new EnrichedTrade(trade.tradeId(), trade.symbol(), trade.price(), trade.volume(), trade.timestamp(),
                null, UNKNOWN_SECTOR, null, null, trade.value(), false);
    }
}
