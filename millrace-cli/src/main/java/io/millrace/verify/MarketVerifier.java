package io.millrace.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.MarketConfig;
import io.millrace.verify.MarketOracle.ExpectedTrade;
import io.millrace.verify.MarketOracle.ExpectedWindow;
import io.millrace.verify.MarketOracle.Expectation;
import io.millrace.verify.MarketOracle.InputTrade;
import io.millrace.verify.MarketOracle.WindowKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code verify market}: recomputes the expected sink contents from the input topics
 * ({@link MarketOracle}) and compares them with PostgreSQL and the DLQ topic. Rows the pipeline's
 * watermark has not closed yet (per {@code millrace_progress}) are reported as pending, not as failures.
 */
public final class MarketVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome: per-table checks and whether the pipeline had processed all input. */
    public record Result(List<TableCheck> checks, long lag, Expectation expectation) {

        public long differences() {
            return checks.stream().mapToLong(TableCheck::differences).sum();
        }

        /** 0: identical; 1: differences; 2: the pipeline had not caught up, so the comparison is incomplete. */
        public int exitCode() {
            if (differences() > 0) {
                return 1;
            }
            return lag > 0 ? 2 : 0;
        }

        public TableCheck check(String name) {
            return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }
    }

    private record EnrichedRow(String symbol, BigDecimal price, long volume, long tradeTs, String company,
            String sector, Long marketCap, Long infoTs, BigDecimal tradeValue, boolean enriched) {}

    private record MetricsRow(long windowEnd, long tradeCount, long totalVolume, BigDecimal totalValue,
            BigDecimal avgPrice, BigDecimal vwap, BigDecimal minPrice, BigDecimal maxPrice, boolean isFinal) {}

    private record LateRow(String tradeId, long tradeTs, long watermark) {}

    private MarketVerifier() {}

    public static Result verify(MarketConfig config, Duration wait, PrintWriter out) throws SQLException, IOException {
        String bootstrap = config.kafka().bootstrapServers();
        long lag = ConsumerLag.waitUntilCaughtUp(bootstrap, config.groupId(),
                List.of(config.tradesTopic(), config.infoTopic()), wait, out);

        List<InputRecord> trades = TopicReader.readAll(bootstrap, config.tradesTopic());
        List<InputRecord> infos = TopicReader.readAll(bootstrap, config.infoTopic());
        List<InputRecord> deadLetters = TopicReader.readAll(bootstrap, config.dlqTopic());

        try (Connection db = config.postgres().open()) {
            db.setAutoCommit(false);
            List<LateRow> lateRows = readLate(db);
            Set<String> lateIds = new HashSet<>();
            lateRows.forEach(r -> lateIds.add(r.tradeId()));
            MarketOracle.Rules rules = new MarketOracle.Rules(config.windowSize().toMillis(), config.maxWait().toMillis(),
                    config.maxFuture().toMillis(), config.dedup());
            Expectation expected = MarketOracle.compute(trades, infos, lateIds, rules, System.currentTimeMillis());
            Map<String, Long> horizons = Horizons.read(db, MarketConfig.PIPELINE);
            long enrichedHorizon = horizons.getOrDefault("enriched_trades", Long.MIN_VALUE);
            long metricsHorizon = horizons.getOrDefault("sector_metrics", Long.MIN_VALUE);

            List<TableCheck> checks = new ArrayList<>();
            checks.add(checkEnriched(db, expected, enrichedHorizon));
            checks.add(checkMetrics(db, expected, metricsHorizon));
            checks.add(checkLate(lateRows, expected, config));
            checks.add(checkDeadLetters(deadLetters, expected, config.dlqTopic()));
            Result result = new Result(checks, lag, expected);
            print(out, config, trades.size(), infos.size(), enrichedHorizon, metricsHorizon, result);
            return result;
        }
    }

    private static TableCheck checkEnriched(Connection db, Expectation expected, long horizon) throws SQLException {
        TableCheck check = new TableCheck("enriched_trades");
        Map<String, EnrichedRow> actual = new HashMap<>();
        if (tableExists(db, "enriched_trades")) {
            try (Statement st = db.createStatement()) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery("SELECT trade_id, symbol, price, volume, trade_ts, company, sector,"
                        + " market_cap, info_ts, trade_value, enriched FROM enriched_trades")) {
                    while (rs.next()) {
                        actual.put(rs.getString(1), new EnrichedRow(rs.getString(2), rs.getBigDecimal(3), rs.getLong(4),
                                millis(rs, 5), rs.getString(6), rs.getString(7), nullableLong(rs, 8), nullableMillis(rs, 9),
                                rs.getBigDecimal(10), rs.getBoolean(11)));
                    }
                }
            }
        }
        check.expected(expected.trades().size());
        check.actual(actual.size());
        for (ExpectedTrade e : expected.trades().values()) {
            EnrichedRow row = actual.get(e.tradeId());
            if (row == null) {
                if (e.closesAt() <= horizon) {
                    check.missing("trade " + e.tradeId() + " at " + Instant.ofEpochMilli(e.tradeTs()));
                } else {
                    check.pending();
                }
            } else if (!matches(e, row)) {
                // Enriched rows are written once, final: a present row must be right even if it is recent.
                check.wrong("trade " + e.tradeId() + ": expected " + e + ", found " + row);
            }
        }
        for (String id : actual.keySet()) {
            if (!expected.trades().containsKey(id)) {
                check.extra("trade " + id + (expected.validTrades().containsKey(id) ? " (reported late)" : " (not in the input)"));
            }
        }
        return check;
    }

    private static boolean matches(ExpectedTrade e, EnrichedRow a) {
        return e.symbol().equals(a.symbol()) && e.price().compareTo(a.price()) == 0 && e.volume() == a.volume()
                && e.tradeTs() == a.tradeTs() && Objects.equals(e.company(), a.company())
                && e.sector().equals(a.sector()) && Objects.equals(e.marketCap(), a.marketCap())
                && Objects.equals(e.infoTs(), a.infoTs()) && e.tradeValue().compareTo(a.tradeValue()) == 0
                && e.enriched() == a.enriched();
    }

    private static TableCheck checkMetrics(Connection db, Expectation expected, long horizon) throws SQLException {
        TableCheck check = new TableCheck("sector_metrics");
        Map<WindowKey, MetricsRow> actual = new HashMap<>();
        if (tableExists(db, "sector_metrics")) {
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT window_start, sector, window_end, trade_count, total_volume,"
                            + " total_value, avg_price, vwap, min_price, max_price, is_final FROM sector_metrics")) {
                while (rs.next()) {
                    actual.put(new WindowKey(millis(rs, 1), rs.getString(2)), new MetricsRow(millis(rs, 3), rs.getLong(4),
                            rs.getLong(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                            rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getBoolean(11)));
                }
            }
        }
        check.expected(expected.windows().size());
        check.actual(actual.size());
        for (ExpectedWindow e : expected.windows().values()) {
            MetricsRow row = actual.get(e.key());
            boolean closed = e.closesAt() <= horizon;
            if (!closed) {
                check.pending();
            } else if (row == null) {
                check.missing("window " + describe(e.key()));
            } else if (!matches(e, row)) {
                check.wrong("window " + describe(e.key()) + ": expected " + e + ", found " + row);
            }
        }
        for (WindowKey key : actual.keySet()) {
            if (!expected.windows().containsKey(key)) {
                check.extra("window " + describe(key));
            }
        }
        return check;
    }

    private static boolean matches(ExpectedWindow e, MetricsRow a) {
        return e.windowEnd() == a.windowEnd() && e.tradeCount() == a.tradeCount() && e.totalVolume() == a.totalVolume()
                && e.totalValue().compareTo(a.totalValue()) == 0 && e.avgPrice().compareTo(a.avgPrice()) == 0
                && e.vwap().compareTo(a.vwap()) == 0 && e.minPrice().compareTo(a.minPrice()) == 0
                && e.maxPrice().compareTo(a.maxPrice()) == 0 && a.isFinal();
    }

    private static String describe(WindowKey key) {
        return Instant.ofEpochMilli(key.windowStart()) + " " + key.sector();
    }

    /**
     * Which trades are late depends on the watermark when they arrived, which only the pipeline saw; so
     * its report is taken, but each entry must be a real input trade that could have been late: its
     * window's lateness had passed by the watermark recorded with it, and that watermark is one the
     * input could produce.
     */
    private static TableCheck checkLate(List<LateRow> rows, Expectation expected, MarketConfig config) {
        TableCheck check = new TableCheck("late_trades");
        long window = config.windowSize().toMillis();
        long lateness = config.allowedLateness().toMillis();
        check.expected(rows.size());
        check.actual(rows.size());
        for (LateRow row : rows) {
            InputTrade trade = expected.validTrades().get(row.tradeId());
            if (trade == null) {
                check.extra("late trade " + row.tradeId() + " (not a valid input trade)");
                continue;
            }
            long cleanup = Math.floorDiv(trade.timestamp(), window) * window + window - 1 + lateness;
            if (trade.timestamp() != row.tradeTs() || cleanup > row.watermark()
                    || row.watermark() > expected.maxTradeTimestamp()) {
                check.wrong("late trade " + row.tradeId() + " at " + Instant.ofEpochMilli(trade.timestamp())
                        + " was not late at watermark " + Instant.ofEpochMilli(row.watermark()));
            }
        }
        return check;
    }

    private static TableCheck checkDeadLetters(List<InputRecord> deadLetters, Expectation expected, String topic)
            throws IOException {
        TableCheck check = new TableCheck(topic);
        Set<String> seen = new HashSet<>();
        for (InputRecord letter : deadLetters) {
            JsonNode n = JSON.readTree(letter.value());
            String origin = n.path("source_topic").asText() + "-" + n.path("partition").asInt() + "-" + n.path("offset").asLong();
            if (!seen.add(origin)) {
                check.wrong("dead letter for " + origin + " written twice");
            } else if (!expected.deadLetterOrigins().contains(origin)) {
                check.extra("dead letter for " + origin + " (a valid record)");
            }
        }
        check.expected(expected.deadLetterOrigins().size());
        check.actual(deadLetters.size());
        for (String origin : expected.deadLetterOrigins()) {
            if (!seen.contains(origin)) {
                check.missing("dead letter for " + origin);
            }
        }
        return check;
    }

    private static List<LateRow> readLate(Connection db) throws SQLException {
        List<LateRow> rows = new ArrayList<>();
        if (!tableExists(db, "late_trades")) {
            return rows;
        }
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT trade_id, trade_ts, watermark FROM late_trades")) {
            while (rs.next()) {
                rows.add(new LateRow(rs.getString(1), millis(rs, 2), millis(rs, 3)));
            }
        }
        return rows;
    }

    static boolean tableExists(Connection db, String table) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long millis(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
    }

    private static Long nullableMillis(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toEpochMilli();
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void print(PrintWriter out, MarketConfig config, int tradeRecords, int infoRecords,
            long enrichedHorizon, long metricsHorizon, Result result) {
        Expectation e = result.expectation();
        out.printf("verify market: %,d input records (%s %,d, %s %,d)%n", tradeRecords + infoRecords,
                config.tradesTopic(), tradeRecords, config.infoTopic(), infoRecords);
        out.printf("closed up to: enriched_trades %s, sector_metrics %s (sink watermarks)%n",
                Horizons.describe(enrichedHorizon), Horizons.describe(metricsHorizon));
        out.println();
        out.printf("%-16s %12s %12s %9s %9s %9s %9s%n", "table", "expected", "actual", "missing", "extra", "wrong", "pending");
        for (TableCheck c : result.checks()) {
            out.printf("%-16s %,12d %,12d %,9d %,9d %,9d %,9d%n", c.name(), c.expectedCount(), c.actualCount(),
                    c.missingCount(), c.extraCount(), c.wrongCount(), c.pendingCount());
        }
        out.println();
        long distinct = e.validTrades().size();
        out.printf("input: %,d valid trades (%,d distinct ids: %,d to enriched_trades, %,d late) + %,d duplicate deliveries + %,d dead letters%n",
                distinct + e.duplicates(), distinct, e.trades().size(), e.lateTrades(), e.duplicates(),
                e.deadLetterOrigins().size());
        for (TableCheck c : result.checks()) {
            c.examples().forEach(x -> out.println("  " + c.name() + ": " + x));
        }
        if (result.lag() > 0) {
            out.printf("INCOMPLETE: the pipeline has not processed %,d input records yet; run verify again when it has "
                    + "caught up (or wait longer with --wait)%n", result.lag());
        } else if (result.differences() == 0) {
            out.println("OK: 0 differences");
        } else {
            out.printf("FAILED: %,d differences%n", result.differences());
        }
        out.flush();
    }
}
