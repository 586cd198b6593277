package io.millrace.sink;

import io.millrace.config.PostgresConnection;
import io.millrace.config.PostgresSinkOptions;
import io.millrace.config.WriteMode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows by key and writes them in one transaction per flush, together with this subtask's
 * progress watermark. A failed write is retried with exponential backoff on a fresh connection; when
 * retries run out the task fails and Flink restores the last checkpoint, whose replay rewrites the
 * buffered rows: nothing is dropped either way.
 *
 * <p>A full batch is written by a background thread while the task fills the next one, so the operator chain
 * does not stand still while the database works; at most one batch is in flight, and a checkpoint (or the
 * end of input) waits until everything handed over is committed, so a completed checkpoint still means every
 * row before its barrier is in the table.
 */
final class PostgresUpsertWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresUpsertWriter.class);
    /** Serializes concurrent CREATE TABLE IF NOT EXISTS from parallel writers (it can race otherwise). */
    private static final long DDL_LOCK = 0x6d696c6c72616365L;

    private final PostgresConnection endpoint;
    private final PostgresTable<T> table;
    private final PostgresSinkOptions options;
    private final String pipeline;
    private final int subtask;
    private final int parallelism;
    private final ProcessingTimeService timeService;
    private final boolean copyMode;
    private final String upsertSql;

    private LinkedHashMap<Object, T> buffer;
    /** Used by the flushing thread only. */
    private final CopyRows csv = new CopyRows();
    private final ExecutorService flusher;
    private Future<?> inFlight;
    /** The watermark of the last batch handed to the flushing thread. */
    private long submittedWatermark = Long.MIN_VALUE;
    private final Counter rowsWritten;
    private final Counter writeRetries;
    private volatile long lastFlushMillis;

    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement progress;
    private PreparedStatement copyMerge;
    private CopyManager copyManager;

    private long watermark = Long.MIN_VALUE;
    private long recordedWatermark = Long.MIN_VALUE;
    private boolean timerArmed;

    PostgresUpsertWriter(PostgresConnection endpoint, PostgresTable<T> table, PostgresSinkOptions options,
            String pipeline, WriterInitContext context) throws IOException {
        this.endpoint = endpoint;
        this.table = table;
        this.options = options;
        this.buffer = newBuffer();
        this.pipeline = pipeline;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        this.timeService = context.getProcessingTimeService();
        this.copyMode = options.writeMode() == WriteMode.COPY;
        this.upsertSql = UpsertStatements.insertValues(table);
        this.rowsWritten = context.metricGroup().getNumRecordsSendCounter();
        this.writeRetries = context.metricGroup().counter("writeRetries");
        String threadName = "postgres-sink-" + table.name() + "-" + subtask;
        this.flusher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        context.metricGroup().gauge("lastFlushMillis", () -> lastFlushMillis);
        withRetries("open", () -> {
            connect();
            if (subtask == 0) {
                try (PreparedStatement st = connection.prepareStatement(ProgressTable.DELETE_STALE_SUBTASKS)) {
                    st.setString(1, pipeline);
                    st.setString(2, table.name());
                    st.setInt(3, parallelism);
                    st.executeUpdate();
                }
                connection.commit();
            }
        });
    }

    @Override
    public void write(T row, Context context) throws IOException {
        buffer.put(table.key(row), row);
        if (buffer.size() >= options.batchSize()) {
            handOver();
        } else {
            armFlushTimer();
        }
    }

    @Override
    public void writeWatermark(Watermark mark) {
        if (mark.getTimestamp() > watermark) {
            watermark = mark.getTimestamp();
            // A sink that gets no rows (no late trades, say) still records how far its results are final within the
            // flush interval, not only at the next checkpoint: readers of the progress table wait on the lowest sink.
            armFlushTimer();
        }
    }

    /** Hands the buffer and the watermark over within the flush interval, unless a flush is already due. */
    private void armFlushTimer() {
        if (timerArmed || options.flushInterval().isZero()) {
            return;
        }
        timerArmed = true;
        timeService.registerTimer(timeService.getCurrentProcessingTime() + options.flushInterval().toMillis(), now -> {
            timerArmed = false;
            handOver();
        });
    }

    /** Called before every checkpoint barrier is forwarded, and at end of input: everything written is committed. */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        handOver();
        awaitInFlight();
    }

    /** Sized for a full batch: growing a map of thousands of rows step by step was a visible cost per batch. */
    private LinkedHashMap<Object, T> newBuffer() {
        return new LinkedHashMap<>((int) Math.min(1 << 20, options.batchSize() * 4L / 3 + 16));
    }

    /** Waits for the batch in flight, then hands the buffer (and the watermark it reached) to the flushing thread. */
    private void handOver() throws IOException {
        awaitInFlight();
        if (buffer.isEmpty() && watermark == submittedWatermark) {
            return;
        }
        LinkedHashMap<Object, T> batch = buffer;
        long batchWatermark = watermark;
        buffer = newBuffer();
        submittedWatermark = batchWatermark;
        inFlight = flusher.submit(() -> {
            writeBatch(batch, batchWatermark);
            return null;
        });
    }

    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for PostgreSQL sink " + table.name(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            inFlight = null;
        }
    }

    /** On the flushing thread: the batch and the progress watermark in one transaction. */
    private void writeBatch(LinkedHashMap<Object, T> batch, long batchWatermark) throws IOException {
        long start = System.nanoTime();
        withRetries("write " + batch.size() + " rows to " + table.name(), () -> {
            if (connection == null) {
                connect();
            }
            if (!batch.isEmpty()) {
                if (copyMode) {
                    writeByCopy(batch);
                } else {
                    writeByInsert(batch);
                }
            }
            if (batchWatermark != recordedWatermark) {
                progress.setString(1, pipeline);
                progress.setString(2, table.name());
                progress.setInt(3, subtask);
                progress.setInt(4, parallelism);
                progress.setLong(5, batchWatermark);
                progress.executeUpdate();
            }
            connection.commit();
        });
        rowsWritten.inc(batch.size());
        recordedWatermark = batchWatermark;
        lastFlushMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private void writeByInsert(LinkedHashMap<Object, T> batch) throws SQLException {
        for (T row : batch.values()) {
            table.bind(upsert, row);
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    private void writeByCopy(LinkedHashMap<Object, T> batch) throws SQLException, IOException {
        csv.clear();
        for (T row : batch.values()) {
            table.appendCsv(csv, row);
        }
        copyManager.copyIn(UpsertStatements.copyIntoStaging(table), csv.asInputStream());
        copyMerge.executeUpdate();
    }

    private void connect() throws SQLException {
        connection = endpoint.open();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
            st.execute(table.ddl());
            st.execute(ProgressTable.DDL);
        }
        connection.commit();
        upsert = connection.prepareStatement(upsertSql);
        progress = connection.prepareStatement(ProgressTable.UPSERT);
        if (copyMode) {
            try (Statement st = connection.createStatement()) {
                st.execute(UpsertStatements.createStaging(table));
            }
            connection.commit();
            copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            copyMerge = connection.prepareStatement(UpsertStatements.insertFromStaging(table));
        }
    }

    /** An action against the database that is safe to repeat from scratch on a new connection. */
    @FunctionalInterface
    private interface DatabaseAction {
        void run() throws SQLException, IOException;
    }

    private void withRetries(String what, DatabaseAction action) throws IOException {
        long backoff = options.retryBackoff().toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                action.run();
                return;
            } catch (SQLException | IOException e) {
                closeQuietly();
                if (attempt >= options.maxRetries()) {
                    throw new IOException("PostgreSQL sink " + table.name() + "[" + subtask + "]: cannot " + what
                            + " after " + (attempt + 1) + " attempts: " + e.getMessage(), e);
                }
                writeRetries.inc();
                LOG.warn("PostgreSQL sink {}[{}]: {} failed ({}); retry {} of {} in {} ms", table.name(), subtask, what,
                        e.getMessage(), attempt + 1, options.maxRetries(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while retrying " + what, ie);
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // The connection is being discarded anyway.
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Same.
            }
        }
        connection = null;
        upsert = null;
        progress = null;
        copyMerge = null;
        copyManager = null;
    }

    @Override
    public void close() {
        // A batch still in flight is abandoned: the checkpoint it belongs to never completed, and its replay rewrites it.
        flusher.shutdownNow();
        try {
            if (!flusher.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("PostgreSQL sink {}[{}]: the flushing thread did not stop within 30 s", table.name(), subtask);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
