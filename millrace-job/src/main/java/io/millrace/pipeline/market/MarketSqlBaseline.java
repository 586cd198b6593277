package io.millrace.pipeline.market;

import io.millrace.job.JobSetup;
import io.millrace.pipeline.SqlBaseline;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The reference the {@code market} benchmark compares Millrace with: the same job as a plain Flink SQL program, the way
 * a Flink user would first write it. Trades from the JSON topic with a bounded-out-of-orderness watermark; the info
 * topic as an upsert-kafka versioned table; an event-time temporal join (a trade with no version yet gets sector
 * UNKNOWN at once); 1-minute TUMBLE windows; JDBC upsert sinks into {@code baseline_enriched_trades} and
 * {@code baseline_sector_metrics}. It has no dead-letter topic (malformed records are skipped), no lateness routing, no
 * deduplication, no wait for late reference data and at-least-once (idempotent) sinks: it does less, on purpose.
 */
public final class MarketSqlBaseline implements SqlBaseline {
    public static final String ENRICHED_TABLE = "baseline_enriched_trades";
    public static final String METRICS_TABLE = "baseline_sector_metrics";

    private final MarketConfig config;

    public MarketSqlBaseline(MarketConfig config) {
        this.config = config;
    }

    @Override
    public String describe() {
        return "Flink SQL: Kafka JSON source with watermark (the pipeline's bound, idleness and alignment), upsert-kafka versioned info table, event-time temporal "
                + "join, TUMBLE windows, JDBC upsert sinks (" + ENRICHED_TABLE + ", " + METRICS_TABLE + "); no dead "
                + "letters, no lateness routing, no deduplication, no wait for late info, at-least-once sinks";
    }

    /** Drops and creates the baseline's two tables, with the columns of the pipeline's own. */
    @Override
    public void prepare() throws SQLException {
        try (Connection db = config.postgres().connection().open(); Statement st = db.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + ENRICHED_TABLE);
            st.execute("DROP TABLE IF EXISTS " + METRICS_TABLE);
            st.execute("CREATE TABLE " + ENRICHED_TABLE + " (trade_id text PRIMARY KEY, symbol text NOT NULL, "
                    + "price numeric NOT NULL, volume bigint NOT NULL, trade_ts timestamp NOT NULL, company text, "
                    + "sector text NOT NULL, market_cap bigint, info_ts timestamp, trade_value numeric NOT NULL, "
                    + "enriched boolean NOT NULL)");
            st.execute("CREATE TABLE " + METRICS_TABLE + " (window_start timestamp NOT NULL, sector text NOT NULL, "
                    + "window_end timestamp NOT NULL, trade_count bigint NOT NULL, total_volume bigint NOT NULL, "
                    + "total_value numeric NOT NULL, avg_price numeric NOT NULL, vwap numeric NOT NULL, "
                    + "min_price numeric NOT NULL, max_price numeric NOT NULL, PRIMARY KEY (window_start, sector))");
        }
    }

    /**
     * Adds the SQL job to {@code env}: same parallelism, checkpoint interval and state backend as the pipeline, and
     * JDBC flushes of the pipeline's sink batch size.
     */
    @Override
    public void attach(StreamExecutionEnvironment env, String groupId) {
        int batchSize = config.postgres().sink().batchSize();
        JobSetup.configure(env, config.common());
        Configuration planner = new Configuration();
        // The planner's own operators may use generic types; Millrace's jobs forbid them, the baseline must not.
        planner.set(PipelineOptions.GENERIC_TYPES, true);
        // A benchmark run fails loudly instead of restarting for ever.
        planner.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(planner);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        var options = tables.getConfig();
        options.set("table.local-time-zone", "UTC");

        String kafka = config.common().kafka().bootstrapServers();
        long outOfOrderMillis = config.outOfOrderness().toMillis();
        tables.executeSql("CREATE TABLE trades ("
                + " trade_id STRING, symbol STRING, price DECIMAL(18, 4), volume BIGINT, trade_timestamp BIGINT,"
                + " trade_ts AS TO_TIMESTAMP_LTZ(trade_timestamp, 3),"
                + " WATERMARK FOR trade_ts AS trade_ts - INTERVAL '0.001' SECOND * " + outOfOrderMillis
                + ") WITH ('connector' = 'kafka', 'topic' = '" + config.tradesTopic() + "',"
                + " 'properties.bootstrap.servers' = '" + kafka + "', 'properties.group.id' = '" + groupId + "',"
                + " 'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.ignore-parse-errors' = 'true',"
                + " 'scan.watermark.idle-timeout' = '" + millis(config.common().idleTimeout()) + " ms'"
                + alignment(config.common().maxDrift()) + ")");
        tables.executeSql("CREATE TABLE info ("
                + " symbol STRING, company STRING, sector STRING, market_cap BIGINT, info_timestamp BIGINT,"
                + " info_ts AS TO_TIMESTAMP_LTZ(info_timestamp, 3),"
                + " WATERMARK FOR info_ts AS info_ts - INTERVAL '0.001' SECOND * " + outOfOrderMillis + ","
                + " PRIMARY KEY (symbol) NOT ENFORCED"
                + ") WITH ('connector' = 'upsert-kafka', 'topic' = '" + config.infoTopic() + "',"
                + " 'properties.bootstrap.servers' = '" + kafka + "', 'properties.group.id' = '" + groupId + "-info',"
                + " 'key.format' = 'raw', 'value.format' = 'json', 'value.json.ignore-parse-errors' = 'true',"
                + " 'scan.watermark.idle-timeout' = '" + millis(config.infoIdleTimeout()) + " ms')");
        tables.executeSql("CREATE TEMPORARY VIEW enriched AS SELECT t.trade_id, t.symbol, t.price, t.volume,"
                + " t.trade_ts, i.company, COALESCE(i.sector, 'UNKNOWN') AS sector, i.market_cap, i.info_ts,"
                + " t.price * t.volume AS trade_value, i.symbol IS NOT NULL AS enriched"
                + " FROM trades AS t LEFT JOIN info FOR SYSTEM_TIME AS OF t.trade_ts AS i ON t.symbol = i.symbol");

        var postgres = config.postgres().connection();
        String jdbc = "'connector' = 'jdbc', 'url' = '" + postgres.url() + "', 'username' = '" + postgres.user()
                + "', 'password' = '" + postgres.password() + "', 'sink.buffer-flush.max-rows' = '" + batchSize
                + "', 'sink.buffer-flush.interval' = '1s'";
        tables.executeSql("CREATE TABLE enriched_sink (trade_id STRING, symbol STRING, price DECIMAL(18, 4),"
                + " volume BIGINT, trade_ts TIMESTAMP(3), company STRING, sector STRING, market_cap BIGINT,"
                + " info_ts TIMESTAMP(3), trade_value DECIMAL(38, 4), enriched BOOLEAN,"
                + " PRIMARY KEY (trade_id) NOT ENFORCED) WITH (" + jdbc + ", 'table-name' = '" + ENRICHED_TABLE + "')");
        tables.executeSql("CREATE TABLE metrics_sink (window_start TIMESTAMP(3), sector STRING,"
                + " window_end TIMESTAMP(3), trade_count BIGINT, total_volume BIGINT, total_value DECIMAL(38, 4),"
                + " avg_price DECIMAL(38, 6), vwap DECIMAL(38, 6), min_price DECIMAL(18, 4), max_price DECIMAL(18, 4),"
                + " PRIMARY KEY (window_start, sector) NOT ENFORCED) WITH (" + jdbc + ", 'table-name' = '"
                + METRICS_TABLE + "')");

        long windowSeconds = Math.max(1, config.windowSize().toSeconds());
        StreamStatementSet statements = tables.createStatementSet();
        statements.addInsertSql("INSERT INTO enriched_sink SELECT trade_id, symbol, price, volume,"
                + " CAST(trade_ts AS TIMESTAMP(3)), company, sector, market_cap, CAST(info_ts AS TIMESTAMP(3)),"
                + " trade_value, enriched FROM enriched");
        statements.addInsertSql("INSERT INTO metrics_sink SELECT window_start, sector, window_end, COUNT(*), SUM(volume), CAST(SUM(trade_value) AS DECIMAL(38, 4)),"
                + " CAST(AVG(price) AS DECIMAL(38, 6)), CAST(SUM(trade_value) / SUM(volume) AS DECIMAL(38, 6)),"
                + " MIN(price), MAX(price)"
                + " FROM TABLE(TUMBLE(TABLE enriched, DESCRIPTOR(trade_ts), INTERVAL '" + windowSeconds + "' SECOND))"
                + " GROUP BY window_start, window_end, sector");
        statements.attachAsDataStream();
    }

    @Override
    public long mainRows() throws SQLException {
        return count("SELECT count(*) FROM " + ENRICHED_TABLE);
    }

    /**
     * As many enriched rows as the pipeline wrote (the bench's input has no duplicates or late trades), and results for
     * as many windows, whatever their sectors (a trade the baseline could not enrich counts under UNKNOWN).
     */
    @Override
    public boolean caughtUp() throws SQLException {
        return count("SELECT CASE WHEN (SELECT count(*) FROM " + ENRICHED_TABLE + ") >= (SELECT count(*) FROM "
                + MarketTables.ENRICHED_TRADES.name() + ") AND (SELECT count(DISTINCT window_start) FROM " + METRICS_TABLE
                + ") >= (SELECT count(DISTINCT window_start) FROM " + MarketTables.SECTOR_METRICS.name()
                + ") THEN 1 ELSE 0 END") == 1;
    }

    @Override
    public String agreement() throws SQLException {
        long windows = count("SELECT count(*) FROM " + MarketTables.SECTOR_METRICS.name());
        long same = count("SELECT count(*) FROM " + MarketTables.SECTOR_METRICS.name() + " m JOIN " + METRICS_TABLE
                + " b ON b.window_start = (m.window_start AT TIME ZONE 'UTC') AND b.sector = m.sector"
                + " WHERE m.trade_count = b.trade_count"
                + " AND m.total_volume = b.total_volume AND m.total_value = b.total_value");
        long trades = count("SELECT count(*) FROM " + MarketTables.ENRICHED_TRADES.name());
        long sameTrades = count("SELECT count(*) FROM " + MarketTables.ENRICHED_TRADES.name() + " m JOIN "
                + ENRICHED_TABLE + " b USING (trade_id) WHERE (m.sector, m.info_ts AT TIME ZONE 'UTC') IS NOT DISTINCT FROM"
                + " (b.sector, b.info_ts)");
        return String.format("%,d of %,d windows with the same count, volume and value; %,d of %,d trades with the same "
                + "info version", same, windows, sameTrades, trades);
    }

    private long count(String sql) throws SQLException {
        try (Connection db = config.postgres().connection().open(); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The pipeline's watermark alignment, as SQL table options: without it one partition of a backlog races ahead, the
     * join's watermark follows it, and trades of the slower partitions arrive after their info version was cleaned up.
     */
    private static String alignment(Duration maxDrift) {
        return maxDrift.isZero() ? "" : ", 'scan.watermark.alignment.group' = 'baseline-trades',"
                + " 'scan.watermark.alignment.max-drift' = '" + millis(maxDrift) + " ms',"
                + " 'scan.watermark.alignment.update-interval' = '1 s'";
    }

    private static long millis(Duration d) {
        return Math.max(1, d.toMillis());
    }
}
