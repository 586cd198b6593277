package io.millrace.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.millrace.model.LateEvent;
import io.millrace.model.Order;
import io.millrace.model.OrderWindowResult;
import io.millrace.model.PaymentWindowResult;
import io.millrace.model.StockAverage;
import io.millrace.model.StockTick;
import io.millrace.model.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * JSON of the Kafka-to-Kafka pipelines' results (field names as docs/pipelines/*.md give them; times ISO-8601 UTC;
 * exact decimals as JSON numbers, trailing zeros dropped) and of their late events.
 */
public final class WindowJsonEncoder {

    /** Writes one JSON document. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private WindowJsonEncoder() {}

    private static byte[] json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void number(JsonGenerator json, String name, BigDecimal value) throws IOException {
        json.writeFieldName(name);
        json.writeNumber(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString());
    }

    public static byte[] ordersWindow(OrderWindowResult r) {
        return json(j -> {
            j.writeStringField("window_start", EventTimes.iso(r.windowStart()));
            j.writeStringField("window_end", EventTimes.iso(r.windowEnd()));
            j.writeNumberField("unique_users", r.uniqueUsers());
            j.writeNumberField("total_orders", r.totalOrders());
            number(j, "total_revenue", r.totalRevenue());
            number(j, "avg_order_value", r.avgOrderValue());
            j.writeStringField("processed_at", EventTimes.iso(r.processedAt()));
        });
    }

    public static byte[] paymentsWindow(PaymentWindowResult r) {
        return json(j -> {
            j.writeStringField("window_start", EventTimes.iso(r.windowStart()));
            j.writeStringField("window_end", EventTimes.iso(r.windowEnd()));
            j.writeNumberField("total_paid", r.totalPaid());
            j.writeNumberField("total_transactions", r.totalTransactions());
            number(j, "average_transaction_value", r.averageTransactionValue());
        });
    }

    public static byte[] stockAverage(StockAverage r) {
        return json(j -> {
            j.writeStringField("start", EventTimes.iso(r.start()));
            j.writeStringField("end", EventTimes.iso(r.end()));
            j.writeStringField("stockName", r.stockName());
            number(j, "price", r.price());
            number(j, "minPrice", r.minPrice());
            number(j, "maxPrice", r.maxPrice());
            j.writeNumberField("count", r.count());
        });
    }

    public static String order(Order o) {
        return new String(json(j -> {
            j.writeStringField("order_id", o.orderId());
            j.writeStringField("user_id", o.userId());
            number(j, "total_amount", o.totalAmount());
            j.writeStringField("status", o.status());
            j.writeNumberField("items_count", o.itemsCount());
            j.writeStringField("event_type", o.eventType());
            j.writeStringField("created_at", EventTimes.iso(o.createdAt()));
        }), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String transaction(Transaction t) {
        return new String(json(j -> {
            j.writeStringField("transaction_id", t.transactionId());
            j.writeStringField("user_id", t.userId());
            j.writeNumberField("total_paid", t.totalPaid());
            j.writeStringField("status", t.status());
            j.writeStringField("event_time", EventTimes.iso(t.eventTime()));
        }), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String stockTick(StockTick t) {
        return new String(json(j -> {
            j.writeStringField("name", t.name());
            j.writeStringField("side", t.side());
            number(j, "price", t.price());
            j.writeNumberField("quantity", t.quantity());
            j.writeNumberField("timestamp", t.timestamp());
        }), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static byte[] lateEvent(LateEvent e) {
        return json(j -> {
            j.writeStringField("pipeline", e.pipeline());
            j.writeStringField("id", e.id());
            j.writeNumberField("partition", e.partition());
            j.writeStringField("event_time", EventTimes.iso(e.eventTime()));
            j.writeStringField("watermark", EventTimes.iso(e.watermark()));
            j.writeStringField("reason", e.reason());
            j.writeFieldName("event");
            j.writeRawValue(e.event());
        });
    }
}
