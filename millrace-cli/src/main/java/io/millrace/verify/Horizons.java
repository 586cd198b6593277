package io.millrace.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per sink, the watermark up to which its results are final: the lowest over its subtasks' rows in
 * {@code millrace_progress}, or {@code Long.MIN_VALUE} while any subtask has not reported yet.
 */
public final class Horizons {

    private Horizons() {}

    public static Map<String, Long> read(Connection db, String pipeline) throws SQLException {
        Map<String, Long> horizons = new HashMap<>();
        if (!MarketVerifier.tableExists(db, "millrace_progress")) {
            return horizons;
        }
        try (PreparedStatement st = db.prepareStatement("""
                SELECT sink, min(watermark), count(*), max(parallelism)
                FROM millrace_progress WHERE pipeline = ? GROUP BY sink""")) {
            st.setString(1, pipeline);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    boolean complete = rs.getLong(3) == rs.getLong(4);
                    horizons.put(rs.getString(1), complete ? rs.getLong(2) : Long.MIN_VALUE);
                }
            }
        }
        return horizons;
    }

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
