package io.millrace.sink;

import io.millrace.config.PostgresConnection;
import io.millrace.config.PostgresSinkOptions;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Exactly-once-effect PostgreSQL sink: idempotent upserts on the table's primary key, batched, and flushed
 * before every checkpoint completes. A replay after recovery rewrites the same rows with the same values.
 */
public final class PostgresUpsertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final PostgresConnection connection;
    private final PostgresTable<T> table;
    private final PostgresSinkOptions options;
    private final String pipeline;

    public PostgresUpsertSink(PostgresConnection connection, PostgresTable<T> table, PostgresSinkOptions options,
            String pipeline) {
        this.connection = connection;
        this.table = table;
        this.options = options;
        this.pipeline = pipeline;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new PostgresUpsertWriter<>(connection, table, options, pipeline, context);
    }
}
