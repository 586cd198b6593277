package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.Order;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Decodes and validates an {@code orders} JSON record: {@code order_id}, {@code user_id},
 * {@code event_type} and {@code created_at} (ISO-8601, UTC without an offset) required;
 * {@code total_amount} a number &gt;= 0; {@code status}, {@code items_count} and {@code items} optional.
 */
public final class OrderJsonDecoder implements RecordDecoder<Order> {
    private static final long serialVersionUID = 1L;

    private final long maxFutureMillis;

    public OrderJsonDecoder(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public Order decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        Fields f = new Fields();
        JsonFields.readObject(value, f);
        String orderId = JsonFields.required(f.orderId, "order_id");
        String userId = JsonFields.required(f.userId, "user_id");
        BigDecimal amount = JsonFields.required(f.amount, "total_amount");
        String eventType = JsonFields.required(f.eventType, "event_type");
        String createdAt = JsonFields.required(f.createdAt, "created_at");
        long time = JsonFields.notInFuture(EventTimes.iso(createdAt, "created_at"), "created_at",
                System.currentTimeMillis(), maxFutureMillis);
        return new Order(orderId, userId, amount, f.status, f.items, eventType, time, origin.partition());
    }

    /** The fields of one record as read; null where absent. */
    private static final class Fields implements JsonFields.FieldReader {
        String orderId;
        String userId;
        BigDecimal amount;
        String status;
        int items;
        String eventType;
        String createdAt;

        @Override
        public boolean read(String field, JsonParser parser, JsonToken v) throws InvalidRecordException, IOException {
            switch (field) {
                case "order_id" -> orderId = JsonFields.nonEmptyText(parser, v, field, 128);
                case "user_id" -> userId = JsonFields.nonEmptyText(parser, v, field, 128);
                case "total_amount" -> amount = JsonFields.nonNegativeDecimal(parser, v, field);
                case "status" -> status = v == JsonToken.VALUE_NULL ? null : JsonFields.text(parser, v, field);
                case "items_count" -> items = (int) Math.min(Integer.MAX_VALUE, JsonFields.nonNegativeInteger(parser, v, field));
                case "event_type" -> eventType = JsonFields.nonEmptyText(parser, v, field, 64);
                case "created_at" -> createdAt = JsonFields.nonEmptyText(parser, v, field, 64);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
