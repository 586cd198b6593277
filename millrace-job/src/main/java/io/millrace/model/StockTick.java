package io.millrace.model;

import java.math.BigDecimal;

/**
 * One stock trade of the {@code moving-averages} input; {@code id} identifies the record in its source
 * ({@code <topic>-<partition>-<offset>}, or the file and line) and {@code partition} is the input partition.
 */
public record StockTick(String id, String name, String side, BigDecimal price, long quantity, long timestamp,
        int partition) {}
