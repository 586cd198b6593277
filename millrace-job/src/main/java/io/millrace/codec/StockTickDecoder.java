package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.StockTick;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Decodes a {@code moving-averages} input record, a CSV line as the original producer writes it
 * ({@code AGL,BUY ,239.77,38,1534848940438,2018-08-21 20:55:40.438}: name, side, price, quantity, epoch ms,
 * readable time) or the same as JSON ({@code {"name","side","price","quantity","timestamp"}}).
 * Side is BUY or SELL (padding trimmed); price &gt;= 0; quantity an integer &gt;= 0 (the original producer
 * draws quantity 0 to 999 and price 0.00 to 1000.00, and averages every tick).
 */
public final class StockTickDecoder implements RecordDecoder<StockTick> {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Z0-9.\\-]{1,16}");

    private final long maxFutureMillis;

    public StockTickDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public StockTick decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty record");
        }
        int first = 0;
        while (first < value.length && Character.isWhitespace(value[first])) {
            first++;
        }
        return first < value.length && value[first] == '{' ? json(value, origin) : csv(value, origin);
    }

    /** Decodes one text line (file and socket sources) identified by {@code id}. */
    public StockTick decodeLine(String line, String id, int partition) throws InvalidRecordException {
        return decode(line.getBytes(StandardCharsets.UTF_8), new RecordOrigin(id, partition, -1));
    }

    private StockTick csv(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        String line = new String(value, StandardCharsets.UTF_8).strip();
        String[] f = line.split(",", -1);
        if (f.length != 5 && f.length != 6) {
            throw new InvalidRecordException("invalid CSV: expected 6 fields (name,side,price,quantity,epoch ms,time), got "
                    + f.length);
        }
        String name = f[0].strip();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRecordException("field 'name' must match [A-Z0-9.-]{1,16}, got \"" + name + "\"");
        }
        String side = side(f[1].strip());
        BigDecimal price;
        long quantity;
        long timestamp;
        try {
            price = new BigDecimal(f[2].strip());
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("field 'price' must be a number, got \"" + f[2].strip() + "\"");
        }
        if (price.signum() < 0) {
            throw new InvalidRecordException("field 'price' must not be negative, got " + price.toPlainString());
        }
        quantity = integer(f[3].strip(), "quantity");
        if (quantity < 0) {
            throw new InvalidRecordException("field 'quantity' must not be negative, got " + quantity);
        }
        timestamp = integer(f[4].strip(), "timestamp");
        if (timestamp < 0) {
            throw new InvalidRecordException("field 'timestamp' must not be negative, got " + timestamp);
        }
        JsonFields.notInFuture(timestamp, "timestamp", System.currentTimeMillis(), maxFutureMillis);
        return new StockTick(id(origin), name, side, price, quantity, timestamp, origin.partition());
    }

    private StockTick json(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        JsonTick f = new JsonTick(System.currentTimeMillis());
        JsonFields.readObject(value, f);
        String name = JsonFields.required(f.name, "name");
        String side = JsonFields.required(f.side, "side");
        BigDecimal price = JsonFields.required(f.price, "price");
        long quantity = JsonFields.required(f.quantity, "quantity");
        long timestamp = JsonFields.required(f.timestamp, "timestamp");
        return new StockTick(id(origin), name, side, price, quantity, timestamp, origin.partition());
    }

    /** The fields of one JSON record as read; null where absent. */
    private final class JsonTick implements JsonFields.FieldReader {
        private final long now;
        String name;
        String side;
        BigDecimal price;
        Long quantity;
        Long timestamp;

        JsonTick(long now) {
            this.now = now;
        }

        @Override
        public boolean read(String field, JsonParser parser, JsonToken v) throws InvalidRecordException, IOException {
            switch (field) {
                case "name" -> name = JsonFields.symbol(parser, v, field);
                case "side" -> side = side(JsonFields.text(parser, v, field).strip());
                case "price" -> price = JsonFields.nonNegativeDecimal(parser, v, field);
                case "quantity" -> quantity = JsonFields.nonNegativeInteger(parser, v, field);
                case "timestamp" -> timestamp = JsonFields.timestamp(parser, v, field, now, maxFutureMillis);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    private static String side(String side) throws InvalidRecordException {
        if (!side.equals("BUY") && !side.equals("SELL")) {
            throw new InvalidRecordException("field 'side' must be BUY or SELL, got \"" + side + "\"");
        }
        return side;
    }

    private static long integer(String text, String field) throws InvalidRecordException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidRecordException("field '" + field + "' must be an integer, got \"" + text + "\"");
        }
    }

    private static String id(RecordOrigin origin) {
        return origin.offset() < 0 ? origin.topic() : origin.asKey();
    }
}
