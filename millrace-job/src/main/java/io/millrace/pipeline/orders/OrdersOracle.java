package io.millrace.pipeline.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.verify.InputRecord;
import io.millrace.verify.WindowOracle;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code orders} by the documented rules: every valid {@code order.created} event, per 1-minute window of
 * {@code created_at}: distinct users, orders, revenue, mean order value (HALF_UP, 8 decimals).
 */
public final class OrdersOracle extends WindowOracle {

    private static final class Totals {
        final Set<String> users = new HashSet<>();
        long orders;
        BigDecimal revenue = BigDecimal.ZERO;
    }

    private final long size;
    private final long lateness;
    private final long maxFuture;
    private final boolean approximate;
    private final Map<Long, Totals> windows = new TreeMap<>();

    public OrdersOracle(long size, long lateness, long outOfOrderness, long maxFuture, boolean approximate, long now) {
        super(outOfOrderness, now);
        this.size = size;
        this.lateness = lateness;
        this.maxFuture = maxFuture;
        this.approximate = approximate;
    }

    private record Order(String user, BigDecimal amount) {}

    @Override
    protected Event parse(InputRecord record) {
        JsonNode n = object(record.value());
        if (n == null) {
            return null;
        }
        String id = text(n, "order_id", 128);
        String user = text(n, "user_id", 128);
        String type = text(n, "event_type", 64);
        String created = text(n, "created_at", 64);
        BigDecimal amount = number(n, "total_amount");
        JsonNode status = n.get("status");
        JsonNode items = n.get("items_count");
        if (id == null || user == null || type == null || created == null || amount == null || amount.signum() < 0
                || (status != null && !status.isNull() && !status.isTextual())
                || (items != null && !(items.isIntegralNumber() && items.canConvertToLong() && items.longValue() >= 0))) {
            return null;
        }
        Long time = instant(created);
        if (time == null || time - now > maxFuture) {
            return null;
        }
        return new Event(id, time, type.equals("order.created"), new Order(user, amount));
    }

    private static Long instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Override
    protected long cleanupTime(long t) {
        return Math.floorDiv(t, size) * size + size - 1 + lateness;
    }

    @Override
    protected void count(Event event) {
        Order order = (Order) event.payload();
        Totals w = windows.computeIfAbsent(Math.floorDiv(event.time(), size) * size, k -> new Totals());
        w.users.add(order.user());
        w.orders++;
        w.revenue = w.revenue.add(order.amount());
    }

    @Override
    public Map<String, ExpectedResult> results() {
        Map<String, ExpectedResult> results = new TreeMap<>();
        windows.forEach((start, w) -> {
            String key = Instant.ofEpochMilli(start).toString();
            results.put(key, new ExpectedResult(key, start + size, fields(
                    "window_end", Instant.ofEpochMilli(start + size), "unique_users", w.users.size(),
                    "total_orders", w.orders, "total_revenue", plain(w.revenue),
                    "avg_order_value", plain(mean(w.revenue, w.orders)))));
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
                "window_end", Instant.parse(n.path("window_end").asText()), "unique_users", n.path("unique_users").asLong(),
                "total_orders", n.path("total_orders").asLong(), "total_revenue", plain(n.path("total_revenue").decimalValue()),
                "avg_order_value", plain(n.path("avg_order_value").decimalValue())));
    }

    /** With {@code --distinct approx}, unique_users is an HLL estimate: within 2 % of the exact count. */
    @Override
    public Map<String, Double> tolerances() {
        return approximate ? Map.of("unique_users", 0.02) : Map.of();
    }
}
