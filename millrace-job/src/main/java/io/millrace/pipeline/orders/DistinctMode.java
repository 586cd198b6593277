package io.millrace.pipeline.orders;

/** How {@code unique_users} is counted. */
public enum DistinctMode {
    /** A set of user ids per window. */
    EXACT,
    /** A HyperLogLog sketch per window. */
    APPROX
}
