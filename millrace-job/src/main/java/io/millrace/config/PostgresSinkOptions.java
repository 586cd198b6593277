package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a PostgreSQL sink batches: rows are buffered (deduplicated by key) and written when the batch is
 * full, when {@code flushInterval} passes, and always before a checkpoint completes.
 */
public record PostgresSinkOptions(int batchSize, Duration flushInterval, WriteMode writeMode, int maxRetries,
        Duration retryBackoff) implements Serializable {}
