package io.millrace.model;

import java.math.BigDecimal;

/** Price statistics of one stock in one sliding window {@code [start, end)}; the mean is HALF_UP, 8 decimals. */
public record StockAverage(long start, long end, String stockName, BigDecimal price, BigDecimal minPrice,
        BigDecimal maxPrice, long count) {}
