package io.millrace.model;

/**
 * One record of the staged {@code enriched-trades} topic: an enriched trade, or (with {@code trade} null) a
 * watermark marker that subtask {@code subtask} of {@code subtasks} of the enriching job wrote to
 * {@code partition}, so that the job reading the topic closes windows exactly when the enriching job would.
 */
public record EnrichedTradeLogEntry(EnrichedTrade trade, long watermark, int subtask, int subtasks, int partition) {

    public static EnrichedTradeLogEntry of(EnrichedTrade trade) {
        return new EnrichedTradeLogEntry(trade, Long.MIN_VALUE, -1, 0, -1);
    }

    public static EnrichedTradeLogEntry marker(long watermark, int subtask, int subtasks, int partition) {
        return new EnrichedTradeLogEntry(null, watermark, subtask, subtasks, partition);
    }

    public boolean isMarker() {
        return trade == null;
    }

    /** The event time the entry stands for: the trade's, or the marker's watermark. */
    public long timestamp() {
        return trade == null ? watermark : trade.tradeTimestamp();
    }
}
