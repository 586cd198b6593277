package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.MarketInfo;
import java.io.IOException;

/** Decodes and validates a {@code stock-info} JSON record; every field is required. */
public final class MarketInfoJsonDecoder implements RecordDecoder<MarketInfo> {
    private static final long serialVersionUID = 1L;

    private final long maxFutureMillis;

    public MarketInfoJsonDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public MarketInfo decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        Fields f = new Fields(System.currentTimeMillis());
        JsonFields.readObject(value, f);
        return new MarketInfo(JsonFields.required(f.symbol, "symbol"), JsonFields.required(f.company, "company"),
                JsonFields.required(f.sector, "sector"), JsonFields.required(f.marketCap, "market_cap"),
                JsonFields.required(f.timestamp, "info_timestamp"));
    }

    /** The fields of one record as read; null where absent. */
    private final class Fields implements JsonFields.FieldReader {
        private final long now;
        String symbol;
        String company;
        String sector;
        Long marketCap;
        Long timestamp;

        Fields(long now) {
            this.now = now;
        }

        @Override
        public boolean read(String field, JsonParser parser, JsonToken v) throws InvalidRecordException, IOException {
            switch (field) {
                case "symbol" -> symbol = JsonFields.symbol(parser, v, field);
                case "company" -> company = JsonFields.nonEmptyText(parser, v, field, 256);
                case "sector" -> sector = JsonFields.nonEmptyText(parser, v, field, 64);
                case "market_cap" -> marketCap = JsonFields.nonNegativeInteger(parser, v, field);
                case "info_timestamp" -> timestamp = JsonFields.timestamp(parser, v, field, now, maxFutureMillis);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
