package io.millrace.pipeline.orders;

import io.millrace.gen.DisorderedEventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code orders} input: {@code order.created} events of a fixed pool of users, amounts 5 to 500
 * with cents, one to five items, {@code created_at} ISO-8601 UTC; keyed by user.
 */
public final class OrderEventGenerator extends DisorderedEventGenerator {

    private final String[] users;

    public OrderEventGenerator(GeneratorOptions options, int users) {
        super(options);
        this.users = new String[users];
        for (int i = 0; i < users; i++) {
            this.users[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
    }

    @Override
    protected GeneratedRecord event(Kind kind, long ts, long sequence, Integer partition) {
        String user = users[random.nextInt(users.length)];
        long cents = 500 + random.nextInt(49_501);
        int items = 1 + random.nextInt(5);
        StringBuilder json = new StringBuilder(256);
        json.append("{\"order_id\":\"").append(new UUID(options.seed(), sequence)).append("\",\"user_id\":\"").append(user)
                .append("\",\"total_amount\":").append(cents / 100).append('.').append(String.format("%02d", cents % 100))
                .append(",\"status\":\"pending\",\"items_count\":").append(items)
                .append(",\"event_type\":\"order.created\",\"created_at\":\"").append(Instant.ofEpochMilli(ts))
                .append("\",\"items\":[");
        for (int i = 0; i < items; i++) {
            json.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(random.nextInt(10_000)).append("\",\"quantity\":1}");
        }
        json.append("]}");
        return record(kind, user.getBytes(StandardCharsets.UTF_8), json.toString(), ts, partition);
    }

    @Override
    protected GeneratedRecord malformed(long clock, long sequence) {
        String user = users[random.nextInt(users.length)];
        String id = new UUID(options.seed(), sequence).toString();
        String created = Instant.ofEpochMilli(clock).toString();
        String value = switch (random.nextInt(6)) {
            case 0 -> "{\"order_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"total_amount\":";
            case 1 -> "{\"order_id\":\"" + id + "\",\"total_amount\":10.5,\"event_type\":\"order.created\",\"created_at\":\"" + created + "\"}";
            case 2 -> "{\"order_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"total_amount\":-3,\"event_type\":\"order.created\",\"created_at\":\"" + created + "\"}";
            case 3 -> "{\"order_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"total_amount\":\"10\",\"event_type\":\"order.created\",\"created_at\":\"" + created + "\"}";
            case 4 -> "{\"order_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"total_amount\":10,\"event_type\":\"order.created\",\"created_at\":\"24/11/2025 10:50\"}";
            default -> "[\"" + id + "\"]";
        };
        return record(Kind.BAD, user.getBytes(StandardCharsets.UTF_8), value, clock, null);
    }
}
