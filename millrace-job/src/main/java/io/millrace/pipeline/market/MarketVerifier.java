package io.millrace.pipeline.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.KafkaConnection;
import io.millrace.pipeline.market.MarketOracle.ExpectedLate;
import io.millrace.pipeline.market.MarketOracle.ExpectedTrade;
import io.millrace.pipeline.market.MarketOracle.ExpectedWindow;
import io.millrace.pipeline.market.MarketOracle.WindowKey;
import io.millrace.sink.PostgresTable;
import io.millrace.sink.ProgressTable;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.DeadLetterCheck;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TableCheck;
import io.millrace.verify.TopicReader;
import io.millrace.verify.VerifyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify market}: recomputes the expected sink contents from the input topics
 * ({@link MarketOracle}) and compares them with PostgreSQL, the DLQ topic and, when present, the result
 * topics. Rows the pipeline's watermark has not closed yet (per {@code millrace_progress}) are reported
 * as pending, not as failures.
 */
public final class MarketVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC_ROWS = "verify_topic_enriched";

    /** The outcome: per-sink checks, the input accounting, and whether the pipeline had processed all input. */
    public record Result(List<TableCheck> checks, DeadLetterCheck.Report deadLetterReport, long lag, MarketOracle oracle)
            implements VerifyResult {

        @Override
        public long inputRecords() {
            return oracle.tradeRecords();
        }

        /** The checks are enriched_trades, sector_metrics, late_trades, the DLQ, then the result topics. */
        @Override
        public TableCheck results() {
            return checks.get(0);
        }

        @Override
        public TableCheck late() {
            return checks.get(2);
        }
    }

    /** One {@code sector_metrics} row, from the table or the topic. */
    private record MetricsRow(long windowEnd, long tradeCount, long totalVolume, BigDecimal totalValue,
            BigDecimal avgPrice, BigDecimal vwap, BigDecimal minPrice, BigDecimal maxPrice, boolean isFinal) {}

    private record LateRow(String symbol, BigDecimal price, long volume, long tradeTs, long watermark) {}

    /** The field of the staged topic's watermark markers (written as a literal here: the oracle keeps its own view). */
    private static final String WATERMARK_MARKER = "millrace_watermark";

    private MarketVerifier() {}

    /** The documented rules the oracle recomputes by, with this configuration's bounds. */
    static MarketOracle.Rules rules(MarketConfig config) {
        return new MarketOracle.Rules(config.windowSize().toMillis(), config.allowedLateness().toMillis(),
                config.outOfOrderness().toMillis(), config.maxWait().toMillis(), config.common().maxFuture().toMillis(),
                config.dedup());
    }

    public static Result verify(MarketConfig config, Duration wait, PrintWriter out) throws SQLException, IOException {
        KafkaConnection kafka = config.kafka();
        long lag = ConsumerLag.waitUntilCaughtUp(kafka, config.groupId(),
                List.of(config.tradesTopic(), config.infoTopic()), wait, out);
        List<InputRecord> infos = TopicReader.readAll(kafka, config.infoTopic());

        try (Connection db = config.postgres().connection().open()) {
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                st.execute("SET LOCAL work_mem = '256MB'");
            }
            MarketOracle oracle = new MarketOracle(infos, rules(config), System.currentTimeMillis());
            try (TradeRows expected = TradeRows.expected(db)) {
                TopicReader.forEach(kafka, config.tradesTopic(), record -> {
                    ExpectedTrade row = oracle.expect(record);
                    if (row != null) {
                        try {
                            expected.add(row, row.closesAt());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
            }
            TradeRows.analyze(db, TradeRows.EXPECTED);

            Map<String, Long> horizons = ProgressTable.read(db, MarketConfig.PIPELINE);
            long enrichedHorizon = horizons.getOrDefault("enriched_trades", Long.MIN_VALUE);
            long metricsHorizon = horizons.getOrDefault("sector_metrics", Long.MIN_VALUE);
            Map<WindowKey, ExpectedWindow> windows = oracle.windows();
            Set<String> lateIds = oracle.late().keySet();

            List<TableCheck> checks = new ArrayList<>();
            TableCheck enriched = new TableCheck("enriched_trades");
            if (PostgresTable.exists(db, "enriched_trades")) {
                TradeRows.compare(db, "enriched_trades", enriched, enrichedHorizon, lateIds);
            } else {
                TradeRows.compare(db, "(SELECT * FROM " + TradeRows.EXPECTED + " WHERE false)", enriched, enrichedHorizon, lateIds);
            }
            checks.add(enriched);
            checks.add(compareWindows("sector_metrics", readMetricsTable(db), windows, metricsHorizon, new TableCheck("sector_metrics")));
            checks.add(checkLate(readLate(db), oracle));
            DeadLetterCheck.Report deadLetters = DeadLetterCheck.check(kafka, config.dlqTopic(), oracle.deadLetterOrigins());
            checks.add(deadLetters.check());
            // The staged architecture writes the enriched topic without output.kafka; only output.kafka writes metrics.
            if (config.kafkaOutput() || TopicReader.hasRecords(kafka, config.enrichedTopic())) {
                checks.add(checkEnrichedTopic(db, kafka, config.enrichedTopic(), enrichedHorizon, lateIds));
            }
            if (config.kafkaOutput() || TopicReader.hasRecords(kafka, config.metricsTopic())) {
                checks.add(checkMetricsTopic(kafka, config.metricsTopic(), windows, metricsHorizon));
            }
            db.rollback();
            Result result = new Result(checks, deadLetters, lag, oracle);
            print(out, config, infos.size(), enrichedHorizon, metricsHorizon, result);
            return result;
        }
    }

    private static TableCheck checkEnrichedTopic(Connection db, KafkaConnection kafka, String topic, long horizon,
            Set<String> lateIds) throws SQLException, IOException {
        TableCheck check = new TableCheck(topic);
        long[] seq = {0};
        try (TradeRows observed = TradeRows.observed(db, TOPIC_ROWS)) {
            TopicReader.forEach(kafka, topic, record -> {
                try {
                    JsonNode n = JSON.readTree(record.value());
                    if (n.has(WATERMARK_MARKER)) {
                        // The staged architecture's watermark markers travel with the trades; they are not results.
                        return;
                    }
                    observed.add(parseEnriched(n), seq[0]++);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        TradeRows.analyze(db, TOPIC_ROWS);
        TradeRows.compare(db, "(SELECT DISTINCT ON (trade_id) * FROM " + TOPIC_ROWS + " ORDER BY trade_id, seq)", check,
                horizon, lateIds);
        check.actual(seq[0]);
        List<String> examples = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT trade_id, count(*) FROM "
                + TOPIC_ROWS + " GROUP BY trade_id HAVING count(*) > 1 ORDER BY trade_id LIMIT 5")) {
            while (rs.next()) {
                examples.add("trade " + rs.getString(1) + " appears " + rs.getLong(2) + " times");
            }
        }
        long duplicates = TradeRows.count(db, "SELECT count(*) - count(DISTINCT trade_id) FROM " + TOPIC_ROWS);
        check.addDuplicated(duplicates, examples);
        return check;
    }

    private static ExpectedTrade parseEnriched(JsonNode n) {
        return new ExpectedTrade(n.path("trade_id").asText(), n.path("symbol").asText(), n.path("price").decimalValue(),
                n.path("volume").asLong(), n.path("trade_timestamp").asLong(), nullableText(n.get("company")),
                n.path("sector").asText(), nullableLong(n.get("market_cap")), nullableLong(n.get("info_timestamp")),
                n.path("trade_value").decimalValue(), n.path("enriched").asBoolean(), 0);
    }

    /**
     * Every firing of a window is a record; the last one per window is its result. Two consecutive equal
     * records of one window can only be a delivery written twice (a late firing always changes the count).
     */
    private static TableCheck checkMetricsTopic(KafkaConnection kafka, String topic, Map<WindowKey, ExpectedWindow> expected,
            long horizon) {
        TableCheck check = new TableCheck(topic);
        Map<WindowKey, MetricsRow> last = new LinkedHashMap<>();
        Map<WindowKey, byte[]> lastBytes = new HashMap<>();
        long[] records = {0};
        TopicReader.forEach(kafka, topic, record -> {
            records[0]++;
            try {
                JsonNode n = JSON.readTree(record.value());
                WindowKey key = new WindowKey(Instant.parse(n.path("window_start").asText()).toEpochMilli(),
                        n.path("sector").asText());
                if (Arrays.equals(lastBytes.get(key), record.value())) {
                    check.duplicated("window " + describe(key) + " firing at offset " + record.offset());
                }
                lastBytes.put(key, record.value());
                last.put(key, new MetricsRow(Instant.parse(n.path("window_end").asText()).toEpochMilli(),
                        n.path("trade_count").asLong(), n.path("total_volume").asLong(), n.path("total_value").decimalValue(),
                        n.path("avg_price").decimalValue(), n.path("vwap").decimalValue(), n.path("min_price").decimalValue(),
                        n.path("max_price").decimalValue(), n.path("is_final").asBoolean()));
            } catch (IOException e) {
                check.wrong("unreadable record at " + record.origin());
            }
        });
        compareWindows(topic, last, expected, horizon, check);
        check.actual(records[0]);
        return check;
    }

    private static TableCheck compareWindows(String name, Map<WindowKey, MetricsRow> actual,
            Map<WindowKey, ExpectedWindow> expected, long horizon, TableCheck check) {
        check.expected(expected.size());
        check.actual(actual.size());
        for (ExpectedWindow e : expected.values()) {
            MetricsRow row = actual.get(e.key());
            if (e.closesAt() > horizon) {
                check.pending();
            } else if (row == null) {
                check.missing("window " + describe(e.key()));
            } else if (!matches(e, row)) {
                check.wrong("window " + describe(e.key()) + ": expected " + e + ", found " + row);
            }
        }
        for (WindowKey key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                check.extra("window " + describe(key) + " in " + name);
            }
        }
        return check;
    }

    private static Map<WindowKey, MetricsRow> readMetricsTable(Connection db) throws SQLException {
        Map<WindowKey, MetricsRow> actual = new HashMap<>();
        if (!PostgresTable.exists(db, "sector_metrics")) {
            return actual;
        }
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT window_start, sector, window_end, trade_count, total_volume,"
                        + " total_value, avg_price, vwap, min_price, max_price, is_final FROM sector_metrics")) {
            while (rs.next()) {
                actual.put(new WindowKey(millis(rs, 1), rs.getString(2)), new MetricsRow(millis(rs, 3), rs.getLong(4),
                        rs.getLong(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                        rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getBoolean(11)));
            }
        }
        return actual;
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

    /** Late trades are decided per input partition, so they are predicted exactly, watermark included. */
    private static TableCheck checkLate(Map<String, LateRow> actual, MarketOracle oracle) {
        TableCheck check = new TableCheck("late_trades");
        check.expected(oracle.late().size());
        check.actual(actual.size());
        for (ExpectedLate e : oracle.late().values()) {
            LateRow row = actual.get(e.tradeId());
            if (row == null) {
                check.missing("late trade " + e.tradeId() + " at " + Instant.ofEpochMilli(e.tradeTs()));
            } else if (!e.symbol().equals(row.symbol()) || e.price().compareTo(row.price()) != 0
                    || e.volume() != row.volume() || e.tradeTs() != row.tradeTs() || e.watermark() != row.watermark()) {
                check.wrong("late trade " + e.tradeId() + ": expected " + e + ", found " + row);
            }
        }
        for (String id : actual.keySet()) {
            if (!oracle.late().containsKey(id)) {
                check.extra("late trade " + id + " (not late by its partition's watermark)");
            }
        }
        return check;
    }

    private static Map<String, LateRow> readLate(Connection db) throws SQLException {
        Map<String, LateRow> rows = new HashMap<>();
        if (!PostgresTable.exists(db, "late_trades")) {
            return rows;
        }
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT trade_id, symbol, price, volume, trade_ts, watermark FROM late_trades")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new LateRow(rs.getString(2), rs.getBigDecimal(3), rs.getLong(4), millis(rs, 5),
                        millis(rs, 6)));
            }
        }
        return rows;
    }

    private static long millis(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
    }

    private static String nullableText(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Long nullableLong(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    private static void print(PrintWriter out, MarketConfig config, int infoRecords, long enrichedHorizon,
            long metricsHorizon, Result result) {
        MarketOracle o = result.oracle();
        out.printf("verify market: %,d input records (%s %,d, %s %,d)%n", o.tradeRecords() + infoRecords,
                config.tradesTopic(), o.tradeRecords(), config.infoTopic(), infoRecords);
        out.printf("closed up to: enriched_trades %s, sector_metrics %s (sink watermarks)%n",
                ProgressTable.describe(enrichedHorizon), ProgressTable.describe(metricsHorizon));
        out.println();
        out.printf("%-16s %12s %12s %9s %9s %9s %9s %9s%n", "sink", "expected", "actual", "missing", "extra", "dup",
                "wrong", "pending");
        for (TableCheck c : result.checks()) {
            out.printf("%-16s %,12d %,12d %,9d %,9d %,9d %,9d %,9d%n", c.name(), c.expectedCount(), c.actualCount(),
                    c.missingCount(), c.extraCount(), c.duplicatedCount(), c.wrongCount(), c.pendingCount());
        }
        out.println();
        TableCheck enriched = result.check("enriched_trades");
        TableCheck late = result.check("late_trades");
        TableCheck dlq = result.check(config.dlqTopic());
        long pendingAbsent = enriched.pendingCount();
        long infoDeadLetters = o.deadLetterOrigins().stream().filter(d -> d.startsWith(config.infoTopic() + "-")).count();
        // Re-deliveries of a late trade are late deliveries (one late_trades row per trade), not duplicates.
        long lateRedeliveries = o.lateDeliveries() - o.late().size();
        long accounted = enriched.actualCount() + pendingAbsent + late.actualCount() + lateRedeliveries + o.duplicates()
                + (dlq.actualCount() - infoDeadLetters);
        out.printf("accounting: %,d trade records = %,d enriched rows (+%,d pending) + %,d late (+%,d re-delivered) "
                        + "+ %,d duplicate deliveries + %,d dead letters: %s%n",
                o.tradeRecords(), enriched.actualCount(), pendingAbsent, late.actualCount(), lateRedeliveries,
                o.duplicates(), dlq.actualCount() - infoDeadLetters,
                accounted == o.tradeRecords() ? "balanced" : "OFF BY " + (o.tradeRecords() - accounted));
        result.deadLetterReport().print(out, o.tradeRecords() + infoRecords);
        for (TableCheck c : result.checks()) {
            c.examples().forEach(x -> out.println("  " + c.name() + ": " + x));
        }
        result.printVerdict(out);
        out.flush();
    }
}
