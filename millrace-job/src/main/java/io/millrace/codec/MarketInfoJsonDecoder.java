package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.MarketInfo;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Decodes and validates a {@code stock-info} JSON record; every field is required. */
public final class MarketInfoJsonDecoder implements RecordDecoder<MarketInfo> {
    private static final long serialVersionUID = 1L;

    private final long maxFutureMillis;

    public MarketInfoJsonDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public MarketInfo decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        String symbol = null;
        String company = null;
        String sector = null;
        long marketCap = -1;
        long timestamp = -1;
        long now = System.currentTimeMillis();
        try (JsonParser parser = JsonFields.openObject(value)) {
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                switch (field) {
                    case "symbol" -> symbol = JsonFields.symbol(parser, valueToken, field);
                    case "company" -> company = JsonFields.nonEmptyText(parser, valueToken, field, 256);
                    case "sector" -> sector = JsonFields.nonEmptyText(parser, valueToken, field, 64);
                    case "market_cap" -> marketCap = JsonFields.nonNegativeInteger(parser, valueToken, field);
                    case "info_timestamp" -> timestamp = JsonFields.timestamp(parser, valueToken, field, now, maxFutureMillis);
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
        if (company == null) {
            throw JsonFields.missing("company");
        }
        if (sector == null) {
            throw JsonFields.missing("sector");
        }
        if (marketCap < 0) {
            throw JsonFields.missing("market_cap");
        }
        if (timestamp < 0) {
            throw JsonFields.missing("info_timestamp");
        }
        return new MarketInfo(symbol, company, sector, marketCap, timestamp);
    }
}
