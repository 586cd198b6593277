package io.millrace.model;

import java.math.BigDecimal;

/**
 * One order event from the {@code orders} topic; {@code createdAt} is the event time (epoch ms) and
 * {@code partition} the input partition (lateness is judged per partition).
 */
public record Order(String orderId, String userId, BigDecimal totalAmount, String status, int itemsCount,
        String eventType, long createdAt, int partition) {

    public static final String CREATED = "order.created";
}
