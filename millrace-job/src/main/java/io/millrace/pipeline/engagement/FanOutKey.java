package io.millrace.pipeline.engagement;

/**
 * What the search and warehouse writers are partitioned by: which writer an enriched event goes to. Writes of one
 * event never depend on another's, so every choice is correct; it changes only how writes spread and batch.
 */
public enum FanOutKey {
    /** Spread evenly over the writers. */
    EVENT_ID,
    /** All events about one content item to one writer. */
    CONTENT_ID,
    /** All events of one user to one writer. */
    USER_ID,
    /** All events of one event-time day to one writer (for the warehouse: one open data file per day partition). */
    EVENT_DAY
}
