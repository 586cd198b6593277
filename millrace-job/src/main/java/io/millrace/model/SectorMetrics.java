package io.millrace.model;

import java.math.BigDecimal;

/**
 * Per-sector statistics of one tumbling event-time window {@code [windowStart, windowEnd)}.
 * {@code avgPrice} is the mean of trade prices, {@code vwap} is totalValue / totalVolume; both rounded
 * HALF_UP to 8 decimals. {@code early} marks a partial result fired before the window closed.
 */
public record SectorMetrics(
        long windowStart,
        long windowEnd,
        String sector,
        long tradeCount,
        long totalVolume,
        BigDecimal totalValue,
        BigDecimal avgPrice,
        BigDecimal vwap,
        BigDecimal minPrice,
        BigDecimal maxPrice,
        boolean early) {}
