package io.millrace.cli;

import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.SourceSpec;
import io.millrace.sink.PostgresTable;
import io.millrace.sink.WarehouseReader;
import io.millrace.verify.ConsumerLag;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * The live status line of a running job: records in (Flink REST), what each sink holds (rows in a table, documents
 * in a search index, rows committed to a warehouse table, or records its writer sent to a topic) with its rate and,
 * for a fan-out sink, its backlog, and consumer lag (Kafka, as of the last checkpoint).
 */
final class JobMonitor implements AutoCloseable {

    /**
     * One reading: per sink (in the pipeline's order) its count, -1 if unknown; per fan-out sink the records its feed
     * has sent it so far ({@code fed}); {@code resultsWatermark} says how far results are final.
     */
    record Snapshot(long nanos, long recordsIn, Map<String, Long> sinks, Map<String, Long> fed, long lag,
            long resultsWatermark) {

        long sink(String name) {
            return sinks.getOrDefault(name, -1L);
        }
    }

    private final Pipeline pipeline;
    private final FlinkRest rest;
    private final String jobId;
    private final Admin admin;
    private final Map<String, Connection> databases = new HashMap<>();
    private final Map<String, WarehouseReader> warehouse = new HashMap<>();
    private final DeadLetterWatch deadLetters;
    private Snapshot previous;
    private Map<TopicPartition, Long> inputEnds;

    JobMonitor(Pipeline pipeline, String webUrl, String jobId) {
        this.pipeline = pipeline;
        this.rest = new FlinkRest(webUrl);
        this.jobId = jobId;
        this.admin = pipeline.config().kafka().admin(5000);
        this.deadLetters = new DeadLetterWatch(pipeline);
    }

    Snapshot poll() {
        long in = 0;
        for (SourceSpec source : pipeline.sources()) {
            in += Math.max(0, rest.operatorMetric(jobId, source.metricOperator(), "numRecordsOut"));
        }
        Map<String, Long> sinks = new LinkedHashMap<>();
        Map<String, Long> fed = new HashMap<>();
        for (SinkSpec sink : pipeline.sinks()) {
            sinks.put(sink.name(), count(sink));
            feedOperator(sink).ifPresent(feed -> fed.put(sink.name(), rest.operatorMetric(jobId, feed, "numRecordsOut")));
        }
        long lag = -1;
        try {
            lag = ConsumerLag.lag(admin, pipeline.config().groupId(), pipeline.config().inputTopics());
        } catch (Exception e) {
            // Kafka briefly unavailable: show the lag as unknown.
        }
        return new Snapshot(System.nanoTime(), in, sinks, fed, lag, ResultsProgress.watermark(pipeline, rest, jobId));
    }

    /**
     * Records the group has not committed of the input there was at the first call (once the generator is
     * done); -1 if unknown. A change capture keeps adding heartbeats, so the live lag is never zero there.
     */
    long lagBehindInputAtFirstCall() {
        try {
            if (inputEnds == null) {
                inputEnds = ConsumerLag.endOffsets(admin, pipeline.config().inputTopics());
            }
            return ConsumerLag.lagBehind(admin, pipeline.config().groupId(), inputEnds);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Rows in a table, documents the search node has acknowledged, rows the warehouse has committed, or the records
     * a topic's writer has sent; -1 if unknown right now.
     */
    private long count(SinkSpec sink) {
        if (sink instanceof SinkSpec.PostgresTable table) {
            return rows(table);
        }
        if (sink instanceof SinkSpec.SearchIndex) {
            return rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsSend");
        }
        if (sink instanceof SinkSpec.WarehouseTable table) {
            return committedRows(table);
        }
        return rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsIn");
    }

    private static Optional<String> feedOperator(SinkSpec sink) {
        if (sink instanceof SinkSpec.SearchIndex index) {
            return Optional.of(index.feedOperator());
        }
        if (sink instanceof SinkSpec.WarehouseTable table) {
            return Optional.of(table.feedOperator());
        }
        return Optional.empty();
    }

    private long committedRows(SinkSpec.WarehouseTable table) {
        try {
            WarehouseReader reader = warehouse.get(table.name());
            if (reader == null) {
                reader = WarehouseReader.open(table.warehouse(), table.name());
                warehouse.put(table.name(), reader);
            }
            return reader.refresh().count();
        } catch (RuntimeException e) {
            // Not created yet, or its metadata is being replaced: unknown for now.
            return -1;
        }
    }

    private long rows(SinkSpec.PostgresTable table) {
        String url = table.postgres().url();
        try {
            Connection db = databases.get(url);
            if (db == null || db.isClosed()) {
                db = table.postgres().open();
                db.setAutoCommit(true);
                databases.put(url, db);
            }
            if (!PostgresTable.exists(db, table.name())) {
                return -1;
            }
            // The table name comes from the pipeline's definition, never from input.
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.name())) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            // The database is restarting: unknown for now, reconnect next time.
            closeDatabases();
            return -1;
        }
    }

    /**
     * The line for {@code now}: input and, per sink, its count; rates are measured since the previous line, and a
     * fan-out sink shows its backlog (what its feed has sent it that it has not written yet).
     */
    String line(Snapshot now) {
        boolean timed = previous != null && now.nanos() - previous.nanos() > 500_000_000L;
        StringBuilder line = new StringBuilder(String.format("in %,d", now.recordsIn()));
        if (timed) {
            line.append(rate(now.recordsIn(), previous.recordsIn(), now.nanos() - previous.nanos()));
        }
        now.sinks().forEach((name, n) -> {
            line.append(" | ").append(name).append(' ').append(count(n));
            Long fed = now.fed().get(name);
            if (timed && fed != null && n >= 0) {
                line.append(rate(n, previous.sink(name), now.nanos() - previous.nanos()));
            }
            if (fed != null && fed >= 0 && n >= 0) {
                line.append(String.format(" backlog %,d", Math.max(0, fed - n)));
            }
        });
        line.append(" | lag ").append(count(now.lag()));
        previous = now;
        return line.toString();
    }

    private static String rate(long now, long before, long nanos) {
        return before < 0 ? "" : String.format(" (%,.0f/s)", (now - before) * 1e9 / nanos);
    }

    static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }

    /**
     * Shows a status line in place on a terminal, or as a new line every {@code every} ticks otherwise; and,
     * on a line of its own, a warning when much of the last minute's input was dead-lettered.
     */
    void show(PrintWriter out, Snapshot now, boolean interactive, long tick, int every) {
        String dlq = pipeline.sinks().stream().filter(s -> s.role() == SinkRole.DEAD_LETTERS).map(SinkSpec::name)
                .findFirst().orElse(null);
        String warning = dlq == null ? null : deadLetters.update(now.nanos(), now.recordsIn(), now.sink(dlq));
        if (warning != null) {
            out.println((interactive ? "\n" : "") + warning);
        }
        if (interactive) {
            out.print("\r" + line(now) + "    ");
            out.flush();
        } else if (tick % every == 0) {
            out.println(line(now));
            out.flush();
        }
    }

    private void closeDatabases() {
        for (Connection db : databases.values()) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // Reconnect next time.
            }
        }
        databases.clear();
    }

    @Override
    public void close() {
        closeDatabases();
        warehouse.values().forEach(WarehouseReader::close);
        admin.close();
    }
}
