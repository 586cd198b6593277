package io.millrace.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of the {@code market} pipeline (SPEC 2.1), parsed once at the edge from
 * {@link Settings}; functions receive the plain values they need.
 */
public record MarketConfig(
        KafkaConnection kafka,
        PostgresConnection postgres,
        PostgresSinkOptions sink,
        int parallelism,
        Duration checkpointInterval,
        String checkpointDir,
        String stateBackend,
        String tradesTopic,
        String infoTopic,
        String dlqTopic,
        String enrichedTopic,
        String metricsTopic,
        String groupId,
        String transactionalIdPrefix,
        String startingOffsets,
        Duration outOfOrderness,
        Duration sourceIdleTimeout,
        Duration maxDrift,
        Duration infoIdleTimeout,
        String enrichmentMode,
        Duration maxWait,
        Duration windowSize,
        Duration allowedLateness,
        Duration earlyFireInterval,
        boolean dedup,
        Duration maxFuture,
        boolean kafkaOutput) implements PipelineConfig {

    public static final String PIPELINE = "market";
    public static final String MODE_EVENT_TIME = "event-time";
    public static final String MODE_LATEST = "latest";

    public static final ConfigKey<String> TOPIC_TRADES = ConfigKey.string("topic.trades", "stock-trades",
            "input topic of trades");
    public static final ConfigKey<String> TOPIC_INFO = ConfigKey.string("topic.info", "stock-info",
            "input topic of symbol reference data (compacted)");
    public static final ConfigKey<String> TOPIC_DLQ = ConfigKey.string("topic.dlq", "market.dlq",
            "dead-letter topic for malformed or invalid input");
    public static final ConfigKey<String> TOPIC_ENRICHED = ConfigKey.string("topic.enriched", "enriched-trades",
            "output topic of enriched trades (with output.kafka)");
    public static final ConfigKey<String> TOPIC_METRICS = ConfigKey.string("topic.metrics", "sector-metrics",
            "output topic of sector metrics (with output.kafka)");
    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("source.group-id", "millrace-market",
            "Kafka consumer group; offsets are committed to it on every completed checkpoint");
    public static final ConfigKey<String> TRANSACTIONAL_ID_PREFIX = StreamKeys.transactionalIdPrefix(PIPELINE);
    public static final ConfigKey<Duration> OUT_OF_ORDERNESS = ConfigKey.duration("watermark.out-of-orderness",
            "5s", "bounded out-of-orderness of event time per partition");
    public static final ConfigKey<Duration> SOURCE_IDLE_TIMEOUT = ConfigKey.duration("watermark.idle-timeout",
            "10s", "a trade partition without records this long stops holding back the watermark");
    public static final ConfigKey<Duration> MAX_DRIFT = ConfigKey.duration("watermark.max-drift", "10s",
            "trade partitions ahead of the slowest by more than this much event time are paused (watermark "
                    + "alignment): bounds the trades held in state while catching up on a backlog; 0 disables");
    public static final ConfigKey<Duration> INFO_IDLE_TIMEOUT = ConfigKey.duration("enrichment.info-idle-timeout",
            "2s", "an info partition without records this long stops holding back the watermark");
    public static final ConfigKey<String> ENRICHMENT_MODE = ConfigKey.choice("enrichment.mode", MODE_EVENT_TIME,
            "event-time: the info version valid at the trade's time (deterministic); latest: the newest known",
            MODE_EVENT_TIME, MODE_LATEST);
    public static final ConfigKey<Duration> MAX_WAIT = ConfigKey.duration("enrichment.max-wait", "30s",
            "event time a trade waits for its symbol's first info before it is emitted as UNKNOWN");
    public static final ConfigKey<Duration> WINDOW_SIZE = ConfigKey.duration("window.size", "1min",
            "tumbling window size of sector metrics");
    public static final ConfigKey<Duration> ALLOWED_LATENESS = ConfigKey.duration("window.allowed-lateness", "5min",
            "late trades within this bound update their window; later ones go to late_trades");
    public static final ConfigKey<Duration> EARLY_FIRE_INTERVAL = ConfigKey.duration("window.early-fire-interval",
            "0", "if set, upsert partial window results this often (processing time) before the final one");
    public static final ConfigKey<Boolean> DEDUP = ConfigKey.bool("dedup.enabled", true,
            "count a trade_id delivered twice within the allowed lateness once");
    public static final ConfigKey<Duration> MAX_FUTURE = ConfigKey.duration("validation.max-future", "1h",
            "records with event time further ahead of the wall clock go to the DLQ");
    public static final ConfigKey<Boolean> OUTPUT_KAFKA = ConfigKey.bool("output.kafka", false,
            "also publish enriched trades and sector metrics to Kafka topics, exactly once");

    @Override
    public String pipeline() {
        return PIPELINE;
    }

    @Override
    public List<String> inputTopics() {
        return List.of(tradesTopic, infoTopic);
    }

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(CommonKeys.all());
        keys.addAll(List.of(TOPIC_TRADES, TOPIC_INFO, TOPIC_DLQ, TOPIC_ENRICHED, TOPIC_METRICS, GROUP_ID, TRANSACTIONAL_ID_PREFIX,
                OUT_OF_ORDERNESS, SOURCE_IDLE_TIMEOUT, MAX_DRIFT, INFO_IDLE_TIMEOUT, ENRICHMENT_MODE, MAX_WAIT, WINDOW_SIZE,
                ALLOWED_LATENESS, EARLY_FIRE_INTERVAL, DEDUP, MAX_FUTURE, OUTPUT_KAFKA));
        return keys;
    }

    public static MarketConfig defaults() {
        return from(Settings.defaults(keys()));
    }

    /** Defaults overridden by the given key/value pairs (tests, benchmarks). */
    public static MarketConfig with(Map<String, String> overrides) {
        return from(Settings.layered(keys(), null, Map.of(), overrides));
    }

    public static MarketConfig from(Settings s) {
        MarketConfig config = new MarketConfig(
                CommonKeys.kafka(s),
                CommonKeys.postgres(s),
                CommonKeys.postgresSink(s),
                s.get(CommonKeys.PARALLELISM),
                s.get(CommonKeys.CHECKPOINT_INTERVAL),
                s.get(CommonKeys.CHECKPOINT_DIR),
                s.get(CommonKeys.STATE_BACKEND),
                s.get(TOPIC_TRADES),
                s.get(TOPIC_INFO),
                s.get(TOPIC_DLQ),
                s.get(TOPIC_ENRICHED),
                s.get(TOPIC_METRICS),
                s.get(GROUP_ID),
                s.get(TRANSACTIONAL_ID_PREFIX),
                s.get(CommonKeys.STARTING_OFFSETS),
                s.get(OUT_OF_ORDERNESS),
                s.get(SOURCE_IDLE_TIMEOUT),
                s.get(MAX_DRIFT),
                s.get(INFO_IDLE_TIMEOUT),
                s.get(ENRICHMENT_MODE),
                s.get(MAX_WAIT),
                s.get(WINDOW_SIZE),
                s.get(ALLOWED_LATENESS),
                s.get(EARLY_FIRE_INTERVAL),
                s.get(DEDUP),
                s.get(MAX_FUTURE),
                s.get(OUTPUT_KAFKA));
        config.validate();
        return config;
    }

    private void validate() {
        if (parallelism < 1) {
            throw new ConfigException("config key 'parallelism' must be at least 1, got " + parallelism);
        }
        if (windowSize.toMillis() <= 0) {
            throw new ConfigException("config key 'window.size' must be positive");
        }
        if (Duration.ofDays(1).toMillis() % windowSize.toMillis() != 0) {
            throw new ConfigException("config key 'window.size' must divide a day evenly (e.g. 1min, 5min, 1h), got "
                    + windowSize);
        }
        if (maxWait.compareTo(allowedLateness) >= 0) {
            // A trade released as UNKNOWN after max-wait must still find its window open.
            throw new ConfigException("config key 'enrichment.max-wait' (" + maxWait + ") must be shorter than "
                    + "'window.allowed-lateness' (" + allowedLateness + ")");
        }
        if (checkpointInterval.toMillis() < 100) {
            throw new ConfigException("config key 'checkpoint.interval' must be at least 100ms");
        }
    }
}
