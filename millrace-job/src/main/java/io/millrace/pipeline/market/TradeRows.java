package io.millrace.pipeline.market;

import io.millrace.pipeline.market.MarketOracle.ExpectedTrade;
import io.millrace.verify.TableCheck;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Expected and observed trade rows staged in session-local temporary tables and compared in SQL, so a
 * verify of tens of millions of trades needs little memory. The expected values are computed in Java by
 * {@link MarketOracle}; PostgreSQL only joins and compares.
 */
final class TradeRows implements AutoCloseable {

    static final String EXPECTED = "verify_expected";
    static final String COLUMNS = "trade_id, symbol, price, volume, trade_ts, company, sector, market_cap, info_ts, "
            + "trade_value, enriched";
    private static final String ROW_TYPES = "trade_id text, symbol text, price numeric, volume bigint, "
            + "trade_ts timestamptz, company text, sector text, market_cap bigint, info_ts timestamptz, "
            + "trade_value numeric, enriched boolean";

    private final Connection db;
    private final Writer out;

    private TradeRows(Connection db, String table, String extraColumns) throws SQLException {
        this.db = db;
        try (Statement st = db.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TEMP TABLE " + table + " (" + ROW_TYPES + extraColumns + ")");
        }
        PGCopyOutputStream copy = new PGCopyOutputStream(db.unwrap(PGConnection.class),
                "COPY " + table + " FROM STDIN WITH (FORMAT csv)", 1 << 20);
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 20);
    }

    /** Staging of expected rows, with the watermark at which each becomes final. */
    static TradeRows expected(Connection db) throws SQLException {
        return new TradeRows(db, EXPECTED, ", closes_at bigint");
    }

    /** Staging of rows read from a result topic, with their position (duplicates stay visible). */
    static TradeRows observed(Connection db, String table) throws SQLException {
        return new TradeRows(db, table, ", seq bigint");
    }

    void add(ExpectedTrade t, long extra) throws IOException {
        text(t.tradeId());
        text(t.symbol());
        number(t.price());
        out.write(Long.toString(t.volume()));
        out.write(',');
        timestamp(t.tradeTs());
        text(t.company());
        text(t.sector());
        nullable(t.marketCap());
        timestamp(t.infoTs());
        number(t.tradeValue());
        out.write(Boolean.toString(t.enriched()));
        out.write(',');
        out.write(Long.toString(extra));
        out.write('\n');
    }

    private void text(String value) throws IOException {
        if (value != null) {
            out.write('"');
            out.write(value.replace("\"", "\"\""));
            out.write('"');
        }
        out.write(',');
    }

    private void number(BigDecimal value) throws IOException {
        out.write(value.toPlainString());
        out.write(',');
    }

    private void nullable(Long value) throws IOException {
        if (value != null) {
            out.write(Long.toString(value));
        }
        out.write(',');
    }

    private void timestamp(Long epochMillis) throws IOException {
        if (epochMillis != null) {
            out.write(Instant.ofEpochMilli(epochMillis).toString());
        }
        out.write(',');
    }

    /** Ends the COPY and collects statistics so the comparisons get good plans. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    static void analyze(Connection db, String table) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("ANALYZE " + table);
        }
    }

    /**
     * Compares {@code actual} (a table or a subquery over a staging table, from code only) with the
     * expected rows: a row is missing only once the sink watermark has passed its {@code closes_at},
     * otherwise pending; a present row must be exactly right, since enriched rows are written once, final.
     */
    static void compare(Connection db, String actual, TableCheck check, long horizon, Set<String> lateIds)
            throws SQLException {
        check.expected(count(db, "SELECT count(*) FROM " + EXPECTED));
        check.actual(count(db, "SELECT count(*) FROM " + actual + " a"));
        List<String> examples = new ArrayList<>();
        long missing = 0;
        long pending = 0;
        try (PreparedStatement st = db.prepareStatement("SELECT e.closes_at <= ?, count(*) FROM " + EXPECTED
                + " e WHERE NOT EXISTS (SELECT 1 FROM " + actual + " a WHERE a.trade_id = e.trade_id) GROUP BY 1")) {
            st.setLong(1, horizon);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        missing = rs.getLong(2);
                    } else {
                        pending = rs.getLong(2);
                    }
                }
            }
        }
        if (missing > 0) {
            try (PreparedStatement st = db.prepareStatement("SELECT e.trade_id, e.trade_ts FROM " + EXPECTED
                    + " e WHERE e.closes_at <= ? AND NOT EXISTS (SELECT 1 FROM " + actual
                    + " a WHERE a.trade_id = e.trade_id) LIMIT 5")) {
                st.setLong(1, horizon);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        examples.add("missing trade " + rs.getString(1) + " at " + rs.getString(2));
                    }
                }
            }
        }
        long extra = count(db, "SELECT count(*) FROM " + actual + " a WHERE NOT EXISTS (SELECT 1 FROM " + EXPECTED
                + " e WHERE e.trade_id = a.trade_id)");
        if (extra > 0) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT a.trade_id FROM " + actual
                    + " a WHERE NOT EXISTS (SELECT 1 FROM " + EXPECTED + " e WHERE e.trade_id = a.trade_id) LIMIT 5")) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    examples.add("extra trade " + id + (lateIds.contains(id) ? " (reported late)" : " (not expected)"));
                }
            }
        }
        String differs = " FROM " + EXPECTED + " e JOIN " + actual + " a ON a.trade_id = e.trade_id WHERE (a.symbol, "
                + "a.price, a.volume, a.trade_ts, a.company, a.sector, a.market_cap, a.info_ts, a.trade_value, a.enriched)"
                + " IS DISTINCT FROM (e.symbol, e.price, e.volume, e.trade_ts, e.company, e.sector, e.market_cap, "
                + "e.info_ts, e.trade_value, e.enriched)";
        long wrong = count(db, "SELECT count(*)" + differs);
        if (wrong > 0) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT e.trade_id, row(e.symbol, e.price, e.volume, e.trade_ts, e.company, e.sector, e.market_cap, "
                            + "e.info_ts, e.trade_value, e.enriched)::text, row(a.symbol, a.price, a.volume, a.trade_ts, "
                            + "a.company, a.sector, a.market_cap, a.info_ts, a.trade_value, a.enriched)::text" + differs
                            + " LIMIT 5")) {
                while (rs.next()) {
                    examples.add("wrong trade " + rs.getString(1) + ": expected " + rs.getString(2) + ", found "
                            + rs.getString(3));
                }
            }
        }
        check.add(missing, extra, wrong, pending, examples);
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
