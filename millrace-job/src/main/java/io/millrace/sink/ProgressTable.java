package io.millrace.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code millrace_progress}: per pipeline, sink and subtask, the highest watermark whose effects are
 * written. It is updated in the same transaction as the rows, so a reader knows which results are final:
 * every window that closed at or before {@code min(watermark)} over a sink's subtasks is in the table. This
 * class owns the table: the sinks write it, and every command reads or resets it through here.
 */
public final class ProgressTable {

    public static final String NAME = "millrace_progress";

    static final String DDL = """
            CREATE TABLE IF NOT EXISTS millrace_progress (
                pipeline    text NOT NULL,
                sink        text NOT NULL,
                subtask     int NOT NULL,
                parallelism int NOT NULL,
                watermark   bigint NOT NULL,
                updated_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pipeline, sink, subtask)
            )""";

    /** Watermarks only move forward: a replay after recovery must not make final results look pending. */
    static final String UPSERT = """
            INSERT INTO millrace_progress (pipeline, sink, subtask, parallelism, watermark, updated_at)
            VALUES (?, ?, ?, ?, ?, now())
            ON CONFLICT (pipeline, sink, subtask) DO UPDATE SET
                parallelism = EXCLUDED.parallelism,
                watermark = GREATEST(millrace_progress.watermark, EXCLUDED.watermark),
                updated_at = now()""";

    static final String DELETE_STALE_SUBTASKS =
            "DELETE FROM millrace_progress WHERE pipeline = ? AND sink = ? AND subtask >= ?";

    private ProgressTable() {}

    /**
     * Per sink of {@code pipeline}, the watermark up to which its results are final: the lowest over its
     * subtasks, or {@code Long.MIN_VALUE} while any subtask has not reported yet. Empty without the table.
     */
    public static Map<String, Long> read(Connection db, String pipeline) throws SQLException {
        Map<String, Long> watermarks = new HashMap<>();
        if (!PostgresTable.exists(db, NAME)) {
            return watermarks;
        }
        try (PreparedStatement st = db.prepareStatement("""
                SELECT sink, min(watermark), count(*), max(parallelism)
                FROM millrace_progress WHERE pipeline = ? GROUP BY sink""")) {
            st.setString(1, pipeline);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    boolean complete = rs.getLong(3) == rs.getLong(4);
                    watermarks.put(rs.getString(1), complete ? rs.getLong(2) : Long.MIN_VALUE);
                }
            }
        }
        return watermarks;
    }

    /** The lowest of the named sinks' watermarks: how far all of them are final. */
    public static long lowest(Connection db, String pipeline, Iterable<String> sinks) throws SQLException {
        Map<String, Long> watermarks = read(db, pipeline);
        long lowest = Long.MAX_VALUE;
        for (String sink : sinks) {
            lowest = Math.min(lowest, watermarks.getOrDefault(sink, Long.MIN_VALUE));
        }
        return lowest;
    }

    /** Epoch ms of the latest write any sink of {@code pipeline} committed, or -1 if none. */
    public static long lastUpdate(Connection db, String pipeline) throws SQLException {
        if (!PostgresTable.exists(db, NAME)) {
            return -1;
        }
        try (PreparedStatement st = db.prepareStatement("SELECT max(updated_at) FROM millrace_progress WHERE pipeline = ?")) {
            st.setString(1, pipeline);
            try (ResultSet rs = st.executeQuery()) {
                OffsetDateTime t = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                return t == null ? -1 : t.toInstant().toEpochMilli();
            }
        }
    }

    /** Forgets {@code pipeline}'s progress: a fresh run must not inherit an old run's "final up to". */
    public static void reset(Connection db, String pipeline) throws SQLException {
        if (!PostgresTable.exists(db, NAME)) {
            return;
        }
        try (PreparedStatement st = db.prepareStatement("DELETE FROM millrace_progress WHERE pipeline = ?")) {
            st.setString(1, pipeline);
            st.executeUpdate();
        }
    }

    /** A watermark for people: an instant, or what it means when it is none. */
    public static String describe(long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return "nothing yet";
        }
        if (watermark == Long.MAX_VALUE) {
            return "end of input";
        }
        return Instant.ofEpochMilli(watermark).toString();
    }
}
