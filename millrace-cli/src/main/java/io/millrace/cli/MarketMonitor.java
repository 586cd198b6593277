package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.Horizons;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The live status line of a running {@code market} job: records in (Flink), rows landed (PostgreSQL),
 * dead letters (Flink) and consumer lag (Kafka, as of the last completed checkpoint).
 */
final class MarketMonitor implements AutoCloseable {

    /** One reading. */
    record Snapshot(long nanos, long recordsIn, long enrichedRows, long finalWindows, long lateRows, long deadLetters,
            long lag, long enrichedHorizon, long metricsHorizon) {}

    private final MarketConfig config;
    private final FlinkRest rest;
    private final String jobId;
    private final Admin admin;
    private Connection db;
    private Snapshot previous;

    MarketMonitor(MarketConfig config, String webUrl, String jobId) {
        this.config = config;
        this.rest = new FlinkRest(webUrl);
        this.jobId = jobId;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
    }

    Snapshot poll() {
        long in = 0;
        long dlq = 0;
        for (FlinkRest.Vertex v : rest.vertices(jobId)) {
            if (v.name().startsWith("Source: Kafka " + config.tradesTopic())) {
                in += v.writeRecords();
            } else if (v.name().startsWith("Source: Kafka " + config.infoTopic())) {
                in += v.writeRecords();
            } else if (v.name().contains("Kafka " + config.dlqTopic())) {
                dlq = v.readRecords();
            }
        }
        long lag = -1;
        try {
            lag = ConsumerLag.lag(admin, config.groupId(), List.of(config.tradesTopic(), config.infoTopic()));
        } catch (Exception e) {
            // Kafka briefly unavailable: show the lag as unknown.
        }
        long[] rows = {-1, -1, -1};
        long enrichedHorizon = Long.MIN_VALUE;
        long metricsHorizon = Long.MIN_VALUE;
        try {
            if (db == null || db.isClosed()) {
                db = config.postgres().open();
                db.setAutoCommit(true);
            }
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT (SELECT count(*) FROM enriched_trades),
                           (SELECT count(*) FROM sector_metrics WHERE is_final),
                           (SELECT count(*) FROM late_trades)""")) {
                rs.next();
                rows = new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
            Map<String, Long> horizons = Horizons.read(db, MarketConfig.PIPELINE);
            enrichedHorizon = horizons.getOrDefault("enriched_trades", Long.MIN_VALUE);
            metricsHorizon = horizons.getOrDefault("sector_metrics", Long.MIN_VALUE);
        } catch (SQLException e) {
            // Tables not created yet, or the database is restarting.
            closeDb();
        }
        return new Snapshot(System.nanoTime(), in, rows[0], rows[1], rows[2], dlq, lag, enrichedHorizon, metricsHorizon);
    }

    /** The line for {@code now}; the input rate is measured since the previous line. */
    String line(Snapshot now) {
        String rate = "";
        if (previous != null && now.nanos() - previous.nanos() > 500_000_000L) {
            rate = String.format(" (%,.0f/s)", (now.recordsIn() - previous.recordsIn()) * 1e9 / (now.nanos() - previous.nanos()));
        }
        previous = now;
        return String.format("in %,d%s | enriched rows %s | windows final %s | late %s | DLQ %,d | lag %s",
                now.recordsIn(), rate, count(now.enrichedRows()), count(now.finalWindows()), count(now.lateRows()),
                now.deadLetters(), count(now.lag()));
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
