package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a PostgreSQL sink batches: rows are buffered (deduplicated by key) and written when the batch is
 * full, when {@code flushInterval} passes, and always before a checkpoint completes.
 *
 * @param writeMode {@code insert} (batched INSERT ... ON CONFLICT) or {@code copy} (COPY into a staging
 *     table, then one INSERT ... SELECT ... ON CONFLICT)
 */
public record PostgresSinkOptions(int batchSize, Duration flushInterval, String writeMode, int maxRetries,
        Duration retryBackoff) implements Serializable {

    public static final String INSERT = "insert";
    public static final String COPY = "copy";
}
