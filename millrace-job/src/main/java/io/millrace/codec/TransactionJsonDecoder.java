package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;

/**
 * Decodes and validates a {@code transactions} JSON record (SPEC 2.3): {@code event_timestamp} naive
 * ({@code 2023-02-08 10:00:01.123}, read in the configured zone), {@code user_id}, {@code transaction_id},
 * {@code total_paid} a non-negative integer, {@code status} Paid or Refused.
 */
public final class TransactionJsonDecoder implements RecordDecoder<Transaction> {
    private static final long serialVersionUID = 1L;

    private final String zone;
    private final long maxFutureMillis;
    private transient ZoneId zoneId;

    public TransactionJsonDecoder(String zone, long maxFutureMillis) {
        this.zone = zone;
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public Transaction decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        if (zoneId == null) {
            zoneId = ZoneId.of(zone);
        }
        String timestamp = null;
        String userId = null;
        String transactionId = null;
        long paid = -1;
        String status = null;
        try (JsonParser parser = JsonFields.openObject(value)) {
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken v = parser.nextToken();
                switch (field) {
                    case "event_timestamp" -> timestamp = JsonFields.nonEmptyText(parser, v, field, 64);
                    case "user_id" -> userId = JsonFields.nonEmptyText(parser, v, field, 128);
                    case "transaction_id" -> transactionId = JsonFields.nonEmptyText(parser, v, field, 128);
                    case "total_paid" -> paid = JsonFields.nonNegativeInteger(parser, v, field);
                    case "status" -> status = JsonFields.text(parser, v, field);
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
        if (timestamp == null) {
            throw JsonFields.missing("event_timestamp");
        }
        if (userId == null) {
            throw JsonFields.missing("user_id");
        }
        if (transactionId == null) {
            throw JsonFields.missing("transaction_id");
        }
        if (paid < 0) {
            throw JsonFields.missing("total_paid");
        }
        if (status == null) {
            throw JsonFields.missing("status");
        }
        if (!status.equals(Transaction.PAID) && !status.equals(Transaction.REFUSED)) {
            throw new InvalidRecordException("field 'status' must be Paid or Refused, got \"" + status + "\"");
        }
        long time = JsonFields.notInFuture(EventTimes.naive(timestamp, "event_timestamp", zoneId), "event_timestamp",
                System.currentTimeMillis(), maxFutureMillis);
        return new Transaction(transactionId, userId, paid, status, time, origin.partition());
    }
}
