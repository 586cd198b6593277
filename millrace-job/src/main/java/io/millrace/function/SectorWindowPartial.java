package io.millrace.function;

/**
 * The totals of some trades of one sector window, gathered by one subtask ({@link SectorMetricsPreAggregator}), and
 * the latest trade time among them.
 */
public record SectorWindowPartial(String sector, long windowStart, long latestTradeTimestamp, SectorAccumulator totals) {}
