package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a search sink batches and retries: index actions are buffered and sent in one bulk request when the
 * batch is full, when {@code flushInterval} passes (zero: only on a full batch and before checkpoints), and
 * always before a checkpoint completes; the failed part of a bulk request is retried {@code maxRetries} times,
 * the first after {@code retryBackoff}, each later one after twice the previous wait (at most 30 s).
 */
public record SearchSinkOptions(int batchSize, Duration flushInterval, int maxRetries, Duration retryBackoff)
        implements Serializable {

    public SearchSinkOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("search sink batch size must be at least 1, not " + batchSize);
        }
        if (flushInterval == null || flushInterval.isNegative()) {
            throw new IllegalArgumentException("search sink flush interval must be zero or positive: " + flushInterval);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("search sink max retries must be zero or more, not " + maxRetries);
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("search sink retry backoff must be zero or positive: " + retryBackoff);
        }
    }
}
