package io.millrace.config;

/** Where a job without a checkpoint starts reading its input topics. */
public enum StartingOffsets {
    /** The consumer group's committed offsets, or the earliest if it has none. */
    COMMITTED,
    EARLIEST,
    LATEST
}
