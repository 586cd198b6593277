package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millrace.config.PostgresConnection;
import io.millrace.config.Settings;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.SinkSpec;
import io.millrace.sink.ProgressTable;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TopicReader;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records exactly as the original producers write them (fixtures under {@code originals/}: their JSON
 * layout, number types, timestamps and keys, edge values included) go through each pipeline on the embedded
 * stack; every expected figure is worked out by hand in the comments, not by an oracle. The input topics are
 * created as the originals created them (partitions), before the pipeline runs.
 */
class OriginalFormatsITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    /** Numbers with a fraction read exactly, as written (a double would round 1008.00000000000000104 to 1008.0). */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * Seed 000: all info first, then trades at one per second, keyed by symbol, without {@code trade_id},
     * prices as floats such as {@code 147.0}. The id of such a trade is its topic-partition-offset.
     */
    @Test
    void marketTakesTheOriginalTradesAndInfo() throws Exception {
        Pipeline market = pipeline("market", Map.of("postgres.url", STACK.postgresUrl()));
        createTopics(market, List.of(new TopicSpec("stock-trades", 1, false), new TopicSpec("stock-info", 1, true)));
        produce("stock-info", "seed000-stock-info.txt");
        produce("stock-trades", "seed000-stock-trades.txt");

        try (Running ignored = run(market)) {
            // The closing trade at 08:03:00 takes the watermark to 08:02:55: both windows before it are final.
            long end = Instant.parse("2024-11-28T08:02:00Z").toEpochMilli();
            Await.until("market's windows up to 08:02 to be final", Duration.ofSeconds(180), Duration.ofMillis(500), () -> {
                try (Connection db = market.sinks(SinkSpec.PostgresTable.class).get(0).postgres().open()) {
                    return ProgressTable.lowest(db, "market", List.of("enriched_trades", "sector_metrics"));
                }
            }, watermark -> watermark >= end);
        }

        Map<String, Map<String, Object>> metrics = rows("SELECT sector || '@' || to_char(window_start AT TIME ZONE 'UTC', "
                + "'HH24:MI') AS k, trade_count, total_volume, total_value, avg_price, vwap, min_price, max_price, is_final "
                + "FROM sector_metrics");
        // Technology 08:00: AAPL 178.37 x 120 = 21 404.40, MSFT 370.0 x 35 = 12 950.0, NVDA 480.5 x 2 = 961.0;
        // 157 shares worth 35 315.40; mean price 1 028.87 / 3 = 342.95666667; vwap 35 315.40 / 157 = 224.93885350.
        assertMetrics(metrics.get("Technology@08:00"), 3, 157, "35315.40", "342.95666667", "224.93885350", "178.37", "480.5");
        assertMetrics(metrics.get("Financial Services@08:00"), 1, 10, "1470.0", "147.00000000", "147.00000000", "147.0", "147.0");
        assertMetrics(metrics.get("Automotive@08:00"), 1, 1000, "242100.0", "242.10000000", "242.10000000", "242.1", "242.1");
        assertMetrics(metrics.get("Consumer Cyclical@08:00"), 1, 400, "58100.00", "145.25000000", "145.25000000", "145.25",
                "145.25");
        // Financial Services 08:01: JPM 150.0 x 20 = 3 000.0 and 152.6 x 30 = 4 578.0: 7 578.0 over 50 shares.
        assertMetrics(metrics.get("Financial Services@08:01"), 2, 50, "7578.0", "151.30000000", "151.56000000", "150.0", "152.6");

        Map<String, Map<String, Object>> trades = rows("SELECT trade_id AS k, symbol, company, sector, market_cap, "
                + "trade_value, enriched FROM enriched_trades");
        assertThat(trades).hasSize(8);
        // No trade_id in the original's records: the 4th trade is offset 3 of the single partition.
        Map<String, Object> tsla = trades.get("stock-trades-0-3");
        assertThat(tsla).containsEntry("symbol", "TSLA").containsEntry("company", "Tesla Inc.")
                .containsEntry("sector", "Automotive").containsEntry("market_cap", 760_000_000_000L)
                .containsEntry("enriched", true);
        assertThat((BigDecimal) tsla.get("trade_value")).isEqualByComparingTo("242100.0");
        assertThat(rows("SELECT trade_id AS k FROM late_trades")).isEmpty();
        assertThat(TopicReader.readAll(market.config().kafka(), "market.dlq")).isEmpty();
    }

    /**
     * Seed 001: no key; {@code created_at} naive UTC with or without microseconds; totals as float sums
     * ({@code 0.30000000000000004}, {@code 7.700000000000001}) and the integer {@code 0} of an empty order.
     */
    @Test
    void ordersTakesTheOriginalOrderEvents() throws Exception {
        Pipeline orders = pipeline("orders", Map.of());
        createTopics(orders, List.of(new TopicSpec("orders", 1, false)));
        produce("orders", "seed001-orders.txt");

        Map<String, JsonNode> results;
        try (Running ignored = run(orders)) {
            // The last order (10:52:40) takes the 30 s watermark to 10:52:10: windows 10:50 and 10:51 are final.
            results = awaitResults(orders, "analytics-results", "window_start", 2);
        }
        // 10:50: u1 (1000.0 and 0), u2 (0.30000000000000004), u3 (7.700000000000001): exact decimal sum
        // 0.30000000000000004 + 7.70000000000000100 = 8.00000000000000104, so 1008.00000000000000104; the mean
        // 252.00000000000000026 rounds to 252.00000000. A double sum would give 1008.0.
        JsonNode first = results.get("2025-11-24T10:50:00Z");
        assertThat(first.get("window_end").asText()).isEqualTo("2025-11-24T10:51:00Z");
        assertThat(first.get("unique_users").asLong()).isEqualTo(3);
        assertThat(first.get("total_orders").asLong()).isEqualTo(4);
        assertThat(first.get("total_revenue").decimalValue()).isEqualByComparingTo("1008.00000000000000104");
        assertThat(first.get("avg_order_value").decimalValue()).isEqualByComparingTo("252.00000000");
        JsonNode second = results.get("2025-11-24T10:51:00Z");
        assertThat(second.get("unique_users").asLong()).isEqualTo(1);
        assertThat(second.get("total_revenue").decimalValue()).isEqualByComparingTo("20.0");
        assertThat(TopicReader.readAll(orders.config().kafka(), "orders.dlq")).isEmpty();
    }

    /**
     * Seed 002: keyed by user, integer {@code transaction_id}s (one repeated), user id {@code 7c0284d-...} one
     * digit short of a UUID, naive local {@code event_timestamp} with milliseconds, read in the producer's zone.
     */
    @Test
    void paymentsTakesTheOriginalTransactionsInTheProducersZone() throws Exception {
        Pipeline payments = pipeline("payments", Map.of("input.timestamp-zone", "America/Sao_Paulo"));
        createTopics(payments, List.of(new TopicSpec("transactions", 3, false)));
        produce("transactions", "seed002-transactions.txt");

        Map<String, JsonNode> results;
        try (Running ignored = run(payments)) {
            // 09:00 in Sao Paulo (UTC-3) is 12:00Z; the last record (09:00:20) closes both windows below.
            results = awaitResults(payments, "transactions_aggregate", "window_start", 2);
        }
        // 12:00:00-12:00:03: Paid 10 (14660caf), 70 (7c0284d, the malformed id), 20 (245d2676); 071a417f Refused.
        JsonNode first = results.get("2024-05-01T12:00:00Z");
        assertThat(first.get("total_paid").asLong()).isEqualTo(100);
        assertThat(first.get("total_transactions").asLong()).isEqualTo(3);
        assertThat(first.get("average_transaction_value").decimalValue()).isEqualByComparingTo("33.33333333");
        // 12:00:03-12:00:06: Paid 90 (93e01ba4); 58c405ab Refused.
        JsonNode second = results.get("2024-05-01T12:00:03Z");
        assertThat(second.get("total_paid").asLong()).isEqualTo(90);
        assertThat(second.get("total_transactions").asLong()).isEqualTo(1);
        assertThat(TopicReader.readAll(payments.config().kafka(), "payments.dlq")).isEmpty();
    }

    /**
     * Seed 004: CSV with the side padded ({@code "BUY "}), quantity 0 and price 0.00 (both drawn by the
     * producer's nextInt(1000) and "%.2f" of nextFloat()*1000), and Timestamp.toString() times ({@code ...:40.0}).
     */
    @Test
    void movingAveragesCountsTheOriginalTicksWithZeroQuantityAndPrice() throws Exception {
        Pipeline averages = pipeline("moving-averages", Map.of());
        produce("stocks", "seed004-stocks.txt", averages);

        Map<String, JsonNode> results;
        try (Running ignored = run(averages)) {
            // The tick at 20:55:50 (partition clock) takes the watermark to 20:55:45: the windows below are final.
            results = awaitResults(averages, "stocks_averages", null, 7);
        }
        // AGL at 40.0 (10.00), 40.5 (0.00) and 41.2 (20.00); windows of 3 s starting every second.
        assertWindow(results.get("AGL@2018-08-21T10:55:38Z"), 2, "5", "0.00", "10.00");
        assertWindow(results.get("AGL@2018-08-21T10:55:39Z"), 3, "10", "0.00", "20.00");
        assertWindow(results.get("AGL@2018-08-21T10:55:40Z"), 3, "10", "0.00", "20.00");
        assertWindow(results.get("AGL@2018-08-21T10:55:41Z"), 1, "20", "20.00", "20.00");
        // AMC at 41.7: 1000.00, quantity 999, in three windows.
        assertWindow(results.get("AMC@2018-08-21T10:55:39Z"), 1, "1000", "1000.00", "1000.00");
        assertWindow(results.get("AMC@2018-08-21T10:55:41Z"), 1, "1000", "1000.00", "1000.00");
        assertThat(TopicReader.readAll(averages.config().kafka(), "moving-averages.dlq")).isEmpty();
    }

    // --- helpers ---

    /** A running job, cancelled on close. */
    private record Running(LocalFlink.LocalJob job) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            job.client().cancel().get(120, TimeUnit.SECONDS);
        }
    }

    private static Pipeline pipeline(String name, Map<String, String> overrides) {
        PipelineDefinition<?> definition = Pipelines.require(name);
        Map<String, String> settings = new HashMap<>(overrides);
        settings.putAll(Map.of(
                "kafka.bootstrap-servers", STACK.kafka(),
                "checkpoint.dir", STACK.checkpoints("originals-" + name).toUri().toString(),
                "checkpoint.interval", "1s",
                "parallelism", "2"));
        return definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), settings));
    }

    /** The input topics as the original created them; the pipeline's own topics are added when it starts. */
    private static void createTopics(Pipeline pipeline, List<TopicSpec> inputs) {
        TopicAdmin.ensure(pipeline.config().kafka(), inputs);
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());
    }

    private static Running run(Pipeline pipeline) throws Exception {
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());
        PipelineJob job = pipeline.jobs().get(0);
        return new Running(LocalFlink.start(job.name(), 2, Ports.findFree(),
                new CheckpointStore(Path.of(URI.create(pipeline.config().checkpointDir()))), true, job::attach));
    }

    private static void produce(String topic, String fixture, Pipeline pipeline) throws Exception {
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());
        produce(topic, fixture);
    }

    /** Sends each line of a fixture ({@code KEY<TAB>VALUE}, {@code -} for no key) in order, as the original did. */
    private static void produce(String topic, String fixture) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/originals", fixture), StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", STACK.kafka()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String line : lines) {
                int tab = line.indexOf('\t');
                String key = line.substring(0, tab);
                producer.send(new ProducerRecord<>(topic, key.equals("-") ? null : key.getBytes(StandardCharsets.UTF_8),
                        line.substring(tab + 1).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    /**
     * The last committed result per window ({@code keyField} of the JSON, or stock@start), once at least
     * {@code windows} windows are there.
     */
    private static Map<String, JsonNode> awaitResults(Pipeline pipeline, String topic, String keyField, int windows)
            throws Exception {
        return Await.until(windows + " windows in " + topic, Duration.ofSeconds(180), Duration.ofMillis(500), () -> {
            Map<String, JsonNode> last = new LinkedHashMap<>();
            for (InputRecord r : TopicReader.readAll(pipeline.config().kafka(), topic)) {
                JsonNode n = JSON.readTree(r.value());
                last.put(keyField != null ? n.get(keyField).asText() : n.get("stockName").asText() + "@" + n.get("start").asText(), n);
            }
            return last;
        }, found -> found.size() >= windows);
    }

    /** Rows of a query keyed by its column {@code k}, the other columns by name. */
    private static Map<String, Map<String, Object>> rows(String sql) throws Exception {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection db = new PostgresConnection(STACK.postgresUrl(), "postgres", "").open();
                Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.put(rs.getString("k"), row);
            }
        }
        return rows;
    }

    private static void assertMetrics(Map<String, Object> row, long count, long volume, String value, String avg,
            String vwap, String min, String max) {
        assertThat(row).as("a sector_metrics row").isNotNull();
        assertThat(row.get("trade_count")).isEqualTo(count);
        assertThat(row.get("total_volume")).isEqualTo(volume);
        assertThat((BigDecimal) row.get("total_value")).isEqualByComparingTo(value);
        assertThat((BigDecimal) row.get("avg_price")).isEqualByComparingTo(avg);
        assertThat((BigDecimal) row.get("vwap")).isEqualByComparingTo(vwap);
        assertThat((BigDecimal) row.get("min_price")).isEqualByComparingTo(min);
        assertThat((BigDecimal) row.get("max_price")).isEqualByComparingTo(max);
        assertThat(row.get("is_final")).isEqualTo(true);
    }

    private static void assertWindow(JsonNode window, long count, String price, String min, String max) {
        assertThat(window).as("a window result").isNotNull();
        assertThat(window.get("count").asLong()).isEqualTo(count);
        assertThat(window.get("price").decimalValue()).isEqualByComparingTo(price);
        assertThat(window.get("minPrice").decimalValue()).isEqualByComparingTo(min);
        assertThat(window.get("maxPrice").decimalValue()).isEqualByComparingTo(max);
    }
}
