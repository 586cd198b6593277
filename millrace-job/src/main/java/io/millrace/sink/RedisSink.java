package io.millrace.sink;

import io.millrace.config.RedisConnection;
import io.millrace.config.RedisSinkOptions;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Exactly-once-effect Redis sink: each element becomes absolute writes ({@link RedisWrite}), buffered and
 * coalesced, and flushed before every checkpoint completes. A replay after recovery rewrites the same values,
 * so Redis ends as if every element had been written once.
 */
public final class RedisSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final RedisConnection connection;
    private final RedisMapper<T> mapper;
    private final RedisSinkOptions options;
    private final RedisProgress progress;

    public RedisSink(RedisConnection connection, RedisMapper<T> mapper, RedisSinkOptions options) {
        this(connection, mapper, options, null);
    }

    /** @param progress where each writer records how far its results are written, or null */
    public RedisSink(RedisConnection connection, RedisMapper<T> mapper, RedisSinkOptions options, RedisProgress progress) {
        this.connection = connection;
        this.mapper = mapper;
        this.options = options;
        this.progress = progress;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new RedisWriter<>(connection, mapper, options, progress, context);
    }
}
