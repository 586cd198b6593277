package io.millrace.config;

/** How a PostgreSQL sink writes a batch. */
public enum WriteMode {
    /** COPY into a staging table, then one INSERT ... SELECT ... ON CONFLICT (measured faster). */
    COPY,
    /** Batched multi-row INSERT ... ON CONFLICT. */
    INSERT
}
