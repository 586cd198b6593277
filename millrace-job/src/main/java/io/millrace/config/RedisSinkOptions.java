package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a Redis sink batches and retries: writes are buffered (coalesced by slot) and sent when the batch is
 * full, when {@code flushInterval} passes (zero: only on a full batch and before checkpoints), and always
 * before a checkpoint completes; a failed flush is retried {@code maxRetries} times, the first after
 * {@code retryBackoff}, each later one after twice the previous wait (at most 30 s).
 */
public record RedisSinkOptions(int batchSize, Duration flushInterval, int maxRetries, Duration retryBackoff)
        implements Serializable {

    public RedisSinkOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Redis sink batch size must be at least 1, not " + batchSize);
        }
        if (flushInterval == null || flushInterval.isNegative()) {
            throw new IllegalArgumentException("Redis sink flush interval must be zero or positive: " + flushInterval);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("Redis sink max retries must be zero or more, not " + maxRetries);
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("Redis sink retry backoff must be zero or positive: " + retryBackoff);
        }
    }
}
