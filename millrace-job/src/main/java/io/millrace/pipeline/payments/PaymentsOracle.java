package io.millrace.pipeline.payments;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.verify.InputRecord;
import io.millrace.verify.WindowOracle;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code payments} by the documented rules: the Paid transactions per 3-second window of their (naive, zoned) timestamp:
 * sum, number, mean (HALF_UP, 8 decimals).
 */
public final class PaymentsOracle extends WindowOracle {

    /** Date, time and an optional fraction of 1 to 9 digits. */
    private static final Pattern NAIVE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?");

    private final long size;
    private final long lateness;
    private final long maxFuture;
    private final ZoneId zone;
    private final Map<Long, long[]> windows = new TreeMap<>();

    public PaymentsOracle(long size, long lateness, long outOfOrderness, long maxFuture, String zone, long now) {
        super(outOfOrderness, now);
        this.size = size;
        this.lateness = lateness;
        this.maxFuture = maxFuture;
        this.zone = ZoneId.of(zone);
    }

    @Override
    protected Event parse(InputRecord record) {
        JsonNode n = object(record.value());
        if (n == null) {
            return null;
        }
        String timestamp = text(n, "event_timestamp", 64);
        String user = text(n, "user_id", 128);
        String id = identifier(n.get("transaction_id"));
        Long paid = integer(n, "total_paid");
        JsonNode status = n.get("status");
        if (timestamp == null || user == null || id == null || paid == null || paid < 0 || status == null
                || !status.isTextual() || !(status.asText().equals("Paid") || status.asText().equals("Refused"))) {
            return null;
        }
        Matcher m = NAIVE.matcher(timestamp);
        if (!m.matches()) {
            return null;
        }
        long time;
        try {
            time = LocalDateTime.parse(m.group(1) + "T" + m.group(2) + (m.group(3) == null ? "" : m.group(3)))
                    .atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
        if (time - now > maxFuture) {
            return null;
        }
        return new Event(id, time, status.asText().equals("Paid"), paid);
    }

    /** A transaction id is a non-empty string or an integer; either way it is kept as its text. */
    private static String identifier(JsonNode v) {
        if (v != null && v.isIntegralNumber()) {
            return v.asText();
        }
        return v != null && v.isTextual() && !v.asText().isBlank() && v.asText().length() <= 128 ? v.asText() : null;
    }

    @Override
    protected long cleanupTime(long t) {
        return Math.floorDiv(t, size) * size + size - 1 + lateness;
    }

    @Override
    protected void count(Event event) {
        long[] w = windows.computeIfAbsent(Math.floorDiv(event.time(), size) * size, k -> new long[2]);
        w[0] += (Long) event.payload();
        w[1]++;
    }

    @Override
    public Map<String, ExpectedResult> results() {
        Map<String, ExpectedResult> results = new TreeMap<>();
        windows.forEach((start, w) -> {
            String key = Instant.ofEpochMilli(start).toString();
            results.put(key, new ExpectedResult(key, start + size, fields(
                    "window_end", Instant.ofEpochMilli(start + size), "total_paid", w[0], "total_transactions", w[1],
                    "average_transaction_value", plain(mean(BigDecimal.valueOf(w[0]), w[1])))));
        });
        return results;
    }

    @Override
    public Map.Entry<String, Map<String, String>> parseResult(byte[] value) {
        JsonNode n = object(value);
        if (n == null) {
            return null;
        }
        return Map.entry(Instant.parse(n.path("window_start").asText()).toString(), fields(
                "window_end", Instant.parse(n.path("window_end").asText()), "total_paid", n.path("total_paid").asLong(),
                "total_transactions", n.path("total_transactions").asLong(),
                "average_transaction_value", plain(n.path("average_transaction_value").decimalValue())));
    }
}
