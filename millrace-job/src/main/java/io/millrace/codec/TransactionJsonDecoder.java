package io.millrace.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.Transaction;
import java.io.IOException;
import java.time.ZoneId;

/**
 * Decodes and validates a {@code transactions} JSON record: {@code event_timestamp} naive
 * ({@code 2023-02-08 10:00:01.123}, read in {@code input.timestamp-zone}), {@code user_id} (opaque text),
 * {@code transaction_id} (a string or an integer, kept as text), {@code total_paid} a non-negative integer,
 * {@code status} Paid or Refused.
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
        Fields f = new Fields();
        JsonFields.readObject(value, f);
        String timestamp = JsonFields.required(f.timestamp, "event_timestamp");
        String userId = JsonFields.required(f.userId, "user_id");
        String transactionId = JsonFields.required(f.transactionId, "transaction_id");
        long paid = JsonFields.required(f.paid, "total_paid");
        String status = JsonFields.required(f.status, "status");
        if (!status.equals(Transaction.PAID) && !status.equals(Transaction.REFUSED)) {
            throw new InvalidRecordException("field 'status' must be Paid or Refused, got \"" + status + "\"");
        }
        long time = EventTimes.naive(timestamp, "event_timestamp", zoneId);
        try {
            JsonFields.notInFuture(time, "event_timestamp", System.currentTimeMillis(), maxFutureMillis);
        } catch (InvalidRecordException e) {
            // A naive local time read in the wrong zone lands hours off: say which setting decides the zone.
            throw new InvalidRecordException(e.getMessage() + "; it is read in time zone " + zone
                    + " (setting input.timestamp-zone): if the producer writes its local time, set that zone");
        }
        return new Transaction(transactionId, userId, paid, status, time, origin.partition());
    }

    /** The fields of one record as read; null where absent. */
    private static final class Fields implements JsonFields.FieldReader {
        String timestamp;
        String userId;
        String transactionId;
        Long paid;
        String status;

        @Override
        public boolean read(String field, JsonParser parser, JsonToken v) throws InvalidRecordException, IOException {
            switch (field) {
                case "event_timestamp" -> timestamp = JsonFields.nonEmptyText(parser, v, field, 64);
                case "user_id" -> userId = JsonFields.nonEmptyText(parser, v, field, 128);
                case "transaction_id" -> transactionId = JsonFields.identifier(parser, v, field, 128);
                case "total_paid" -> paid = JsonFields.nonNegativeInteger(parser, v, field);
                case "status" -> status = JsonFields.text(parser, v, field);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
