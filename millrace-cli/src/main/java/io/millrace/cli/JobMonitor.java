package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.config.PipelineConfig;
import io.millrace.config.StreamPipelineConfig;
import io.millrace.config.StreamSettings;
import io.millrace.verify.ConsumerLag;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The live status line of a running job: records in and results, late events and dead letters out (Flink
 * REST), rows landed for the PostgreSQL pipeline, and consumer lag (Kafka, as of the last checkpoint).
 */
final class JobMonitor implements AutoCloseable {

    /** One reading; {@code resultsWatermark} says how far results are final. */
    record Snapshot(long nanos, long recordsIn, long results, long finalWindows, long late, long deadLetters, long lag,
            long resultsWatermark) {}

    private final Pipeline pipeline;
    private final PipelineConfig config;
    private final FlinkRest rest;
    private final String jobId;
    private final Admin admin;
    private Connection db;
    private Snapshot previous;

    JobMonitor(Pipeline pipeline, PipelineConfig config, String webUrl, String jobId) {
        this.pipeline = pipeline;
        this.config = config;
        this.rest = new FlinkRest(webUrl);
        this.jobId = jobId;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
    }

    Snapshot poll() {
        long in = 0;
        for (String topic : config.inputTopics()) {
            in += Math.max(0, rest.operatorMetric(jobId, "Source: Kafka " + topic, "numRecordsOut"));
        }
        long dlq = rest.operatorMetric(jobId, "Kafka " + config.dlqTopic() + ": Writer", "numRecordsIn");
        long results = -1;
        long late = -1;
        if (config instanceof StreamPipelineConfig c) {
            StreamSettings s = c.stream();
            results = rest.operatorMetric(jobId, "Kafka " + s.outputTopic() + ": Writer", "numRecordsIn");
            late = rest.operatorMetric(jobId, "Kafka " + s.lateTopic() + ": Writer", "numRecordsIn");
        }
        long lag = -1;
        try {
            lag = ConsumerLag.lag(admin, config.groupId(), config.inputTopics());
        } catch (Exception e) {
            // Kafka briefly unavailable: show the lag as unknown.
        }
        long finalWindows = -1;
        if (config instanceof MarketConfig market) {
            long[] rows = marketRows(market);
            results = rows[0];
            finalWindows = rows[1];
            late = rows[2];
        }
        return new Snapshot(System.nanoTime(), in, results, finalWindows, late, dlq, lag,
                pipeline.resultsWatermark(config, rest, jobId));
    }

    private long[] marketRows(MarketConfig market) {
        try {
            if (db == null || db.isClosed()) {
                db = market.postgres().open();
                db.setAutoCommit(true);
            }
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT (SELECT count(*) FROM enriched_trades),
                           (SELECT count(*) FROM sector_metrics WHERE is_final),
                           (SELECT count(*) FROM late_trades)""")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        } catch (SQLException e) {
            // Tables not created yet, or the database is restarting.
            closeDb();
            return new long[] {-1, -1, -1};
        }
    }

    /** The line for {@code now}; the input rate is measured since the previous line. */
    String line(Snapshot now) {
        String rate = "";
        if (previous != null && now.nanos() - previous.nanos() > 500_000_000L) {
            rate = String.format(" (%,.0f/s)", (now.recordsIn() - previous.recordsIn()) * 1e9 / (now.nanos() - previous.nanos()));
        }
        previous = now;
        String results = config instanceof MarketConfig
                ? "enriched rows " + count(now.results()) + " | windows final " + count(now.finalWindows())
                : "results " + count(now.results());
        return String.format("in %,d%s | %s | late %s | DLQ %s | lag %s", now.recordsIn(), rate, results,
                count(now.late()), count(now.deadLetters()), count(now.lag()));
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }

    /** Shows a status line in place on a terminal, or as a new line every {@code every} ticks otherwise. */
    void show(PrintWriter out, Snapshot now, boolean interactive, long tick, int every) {
        if (interactive) {
            out.print("\r" + line(now) + "    ");
            out.flush();
        } else if (tick % every == 0) {
            out.println(line(now));
            out.flush();
        }
    }

    private void closeDb() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // Reconnect next time.
        }
        db = null;
    }

    @Override
    public void close() {
        closeDb();
        admin.close();
    }
}
