package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.Order;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Decodes and validates an {@code orders} JSON record (SPEC 2.2): {@code order_id}, {@code user_id},
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
        String orderId = null;
        String userId = null;
        BigDecimal amount = null;
        String status = null;
        int items = 0;
        String eventType = null;
        String createdAt = null;
        try (JsonParser parser = JsonFields.openObject(value)) {
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken v = parser.nextToken();
                switch (field) {
                    case "order_id" -> orderId = JsonFields.nonEmptyText(parser, v, field, 128);
                    case "user_id" -> userId = JsonFields.nonEmptyText(parser, v, field, 128);
                    case "total_amount" -> amount = JsonFields.nonNegativeDecimal(parser, v, field);
                    case "status" -> status = v == JsonToken.VALUE_NULL ? null : JsonFields.text(parser, v, field);
                    case "items_count" -> items = (int) Math.min(Integer.MAX_VALUE, JsonFields.nonNegativeInteger(parser, v, field));
                    case "event_type" -> eventType = JsonFields.nonEmptyText(parser, v, field, 64);
                    case "created_at" -> createdAt = JsonFields.nonEmptyText(parser, v, field, 64);
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
        if (orderId == null) {
            throw JsonFields.missing("order_id");
        }
        if (userId == null) {
            throw JsonFields.missing("user_id");
        }
        if (amount == null) {
            throw JsonFields.missing("total_amount");
        }
        if (eventType == null) {
            throw JsonFields.missing("event_type");
        }
        if (createdAt == null) {
            throw JsonFields.missing("created_at");
        }
        long time = JsonFields.notInFuture(EventTimes.iso(createdAt, "created_at"), "created_at",
                System.currentTimeMillis(), maxFutureMillis);
        return new Order(orderId, userId, amount, status, items, eventType, time, origin.partition());
    }
}
