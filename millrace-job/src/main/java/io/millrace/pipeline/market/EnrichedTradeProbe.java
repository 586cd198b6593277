package io.millrace.pipeline.market;

import io.millrace.config.PostgresConnection;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.pipeline.LatencyProbe;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The latency probe of {@code market}: a sampled trade's result is visible once its row in enriched_trades is committed. */
final class EnrichedTradeProbe implements LatencyProbe {
    private static final String PREFIX = "{\"trade_id\":\"";

    private final PostgresConnection postgres;
    private final String table;
    private Connection db;

    EnrichedTradeProbe(PostgresConnection postgres, String table) {
        this.postgres = postgres;
        this.table = table;
    }

    /** The trade id of an on-time trade (the generator writes it first); other records are not followed. */
    @Override
    public Object resultKey(GeneratedRecord record) {
        if (record.kind() != Kind.TRADE || record.target() != GeneratedRecord.Target.MAIN) {
            return null;
        }
        String json = new String(record.value(), StandardCharsets.UTF_8);
        int end = json.indexOf('"', PREFIX.length());
        return json.startsWith(PREFIX) && end > 0 ? json.substring(PREFIX.length(), end) : null;
    }

    @Override
    public Set<Object> visible(Collection<Object> pending) throws SQLException {
        Set<Object> found = new HashSet<>();
        if (pending.isEmpty()) {
            return found;
        }
        if (db == null || db.isClosed()) {
            db = postgres.open();
            db.setAutoCommit(true);
        }
        // The table name comes from the pipeline's definition; the ids are bound as one array parameter.
        try (PreparedStatement st = db.prepareStatement("SELECT trade_id FROM " + table + " WHERE trade_id = ANY(?)")) {
            Array ids = db.createArrayOf("text", pending.toArray());
            st.setArray(1, ids);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            // The table may not exist yet (no row written so far) or the server restarts: nothing visible yet.
            close();
        }
        return found;
    }

    @Override
    public String describe() {
        return "its row committed in " + table;
    }

    @Override
    public void close() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // Closing anyway.
            }
            db = null;
        }
    }
}
