package io.millrace.model;

import java.math.BigDecimal;

/**
 * The statistics of one 1-minute window of orders: distinct users, orders, exact revenue and its mean
 * (rounded HALF_UP to 8 decimals); {@code processedAt} is when the result was computed (wall clock).
 */
public record OrderWindowResult(long windowStart, long windowEnd, long uniqueUsers, long totalOrders,
        BigDecimal totalRevenue, BigDecimal avgOrderValue, long processedAt) {}
