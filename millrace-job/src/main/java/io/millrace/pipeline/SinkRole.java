package io.millrace.pipeline;

/** What a sink holds. */
public enum SinkRole {
    /** The pipeline's results (rows, window results). */
    RESULTS,
    /** Every valid input record once, enriched (a search index or a warehouse table of events). */
    ENRICHED,
    /** Events beyond the allowed lateness, with the watermark they met. */
    LATE,
    /** Invalid input with its raw bytes and the reason. */
    DEAD_LETTERS
}
