package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.Trade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Decodes and validates a {@code stock-trades} JSON record (SPEC 2.1): symbol {@code [A-Z0-9.-]{1,16}},
 * price &gt; 0, volume a positive integer, {@code trade_timestamp} integer epoch ms at most
 * {@code validation.max-future} ahead of the wall clock; {@code trade_id} optional.
 */
public final class TradeJsonDecoder implements RecordDecoder<Trade> {
    private static final long serialVersionUID = 1L;

    private final long maxFutureMillis;

    public TradeJsonDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public Trade decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        String tradeId = null;
        String symbol = null;
        BigDecimal price = null;
        long volume = 0;
        long timestamp = -1;
        long now = System.currentTimeMillis();
        try (JsonParser parser = JsonFields.openObject(value)) {
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                switch (field) {
                    case "trade_id" -> tradeId = JsonFields.nonEmptyText(parser, valueToken, field, 128);
                    case "symbol" -> symbol = JsonFields.symbol(parser, valueToken, field);
                    case "price" -> price = JsonFields.positiveDecimal(parser, valueToken, field);
                    case "volume" -> volume = JsonFields.positiveInteger(parser, valueToken, field);
                    case "trade_timestamp" -> timestamp = JsonFields.timestamp(parser, valueToken, field, now, maxFutureMillis);
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new InvalidRecordException("invalid JSON: unterminated object");
            }
            JsonFields.expectEnd(parser);
        } catch (JsonProcessingException e) {
            throw JsonFields.invalidJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (symbol == null) {
            throw JsonFields.missing("symbol");
        }
        if (price == null) {
            throw JsonFields.missing("price");
        }
        if (volume == 0) {
            throw JsonFields.missing("volume");
        }
        if (timestamp < 0) {
            throw JsonFields.missing("trade_timestamp");
        }
        return new Trade(tradeId != null ? tradeId : origin.asKey(), symbol, price, volume, timestamp, origin.partition());
    }
}
