package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.Trade;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Decodes and validates a {@code stock-trades} JSON record: symbol {@code [A-Z0-9.-]{1,16}},
 * price &gt; 0, volume a positive integer, {@code trade_timestamp} integer epoch ms at most
 * {@code validation.max-future} ahead of the wall clock; {@code trade_id} optional. Records of the common shape are
 * read by {@link TradeJsonScanner}; the rest, and every reason for a rejection, by a strict JSON parser.
 */
public final class TradeJsonDecoder implements RecordDecoder<Trade> {
    private static final long serialVersionUID = 1L;

    private final long maxFutureMillis;

    public TradeJsonDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public Trade decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        long now = System.currentTimeMillis();
        Trade common = TradeJsonScanner.scan(value, origin, now, maxFutureMillis);
        return common != null ? common : decodeStrictly(value, origin, now);
    }

    /** The full reading with a strict JSON parser, which every record the scanner does not take goes through. */
    Trade decodeStrictly(byte[] value, RecordOrigin origin, long now) throws InvalidRecordException {
        Fields f = new Fields(now);
        JsonFields.readObject(value, f);
        String symbol = JsonFields.required(f.symbol, "symbol");
        BigDecimal price = JsonFields.required(f.price, "price");
        long volume = JsonFields.required(f.volume, "volume");
        long timestamp = JsonFields.required(f.timestamp, "trade_timestamp");
        return new Trade(f.tradeId != null ? f.tradeId : origin.asKey(), symbol, price, volume, timestamp, origin.partition());
    }

    /** The fields of one record as read; null where absent. */
    private final class Fields implements JsonFields.FieldReader {
        private final long now;
        String tradeId;
        String symbol;
        BigDecimal price;
        Long volume;
        Long timestamp;

        Fields(long now) {
            this.now = now;
        }

        @Override
        public boolean read(String field, JsonParser parser, JsonToken v) throws InvalidRecordException, IOException {
            switch (field) {
                case "trade_id" -> tradeId = JsonFields.nonEmptyText(parser, v, field, 128);
                case "symbol" -> symbol = JsonFields.symbol(parser, v, field);
                case "price" -> price = JsonFields.positiveDecimal(parser, v, field);
                case "volume" -> volume = JsonFields.positiveInteger(parser, v, field);
                case "trade_timestamp" -> timestamp = JsonFields.timestamp(parser, v, field, now, maxFutureMillis);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
