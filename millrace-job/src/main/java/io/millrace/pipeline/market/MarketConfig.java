package io.millrace.pipeline.market;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.PipelineConfig;
import io.millrace.config.PostgresSettings;
import io.millrace.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of the {@code market} pipeline, parsed once at the edge from {@link Settings};
 * functions receive the plain values they need.
 */
public record MarketConfig(
        CommonSettings common,
        PostgresSettings postgres,
        String tradesTopic,
        String infoTopic,
        String enrichedTopic,
        String metricsTopic,
        Duration infoIdleTimeout,
        EnrichmentMode enrichmentMode,
        Duration maxWait,
        Duration earlyFireInterval,
        boolean dedup,
        boolean kafkaOutput,
        MarketArchitecture architecture) implements PipelineConfig {

    public static final String PIPELINE = "market";

    private static final ConfigKeys KEYS = new ConfigKeys();
    private static final CommonSettings.Keys COMMON = CommonSettings.declare(KEYS,
            new CommonSettings.Defaults(PIPELINE, "5s", "1min", "5min"));
    static {
        PostgresSettings.declare(KEYS);
    }
    public static final ConfigKey<String> TOPIC_TRADES = KEYS.add(ConfigKey.topic("topic.trades", "stock-trades",
            "input topic of trades"));
    public static final ConfigKey<String> TOPIC_INFO = KEYS.add(ConfigKey.topic("topic.info", "stock-info",
            "input topic of symbol reference data (compacted)"));
    public static final ConfigKey<String> TOPIC_ENRICHED = KEYS.add(ConfigKey.topic("topic.enriched", "enriched-trades",
            "output topic of enriched trades (with output.kafka)"));
    public static final ConfigKey<String> TOPIC_METRICS = KEYS.add(ConfigKey.topic("topic.metrics", "sector-metrics",
            "output topic of sector metrics (with output.kafka)"));
    public static final ConfigKey<Duration> INFO_IDLE_TIMEOUT = KEYS.add(ConfigKey.duration(
            "enrichment.info-idle-timeout", "2s",
            "an info partition without records this long stops holding back the watermark"));
    public static final ConfigKey<EnrichmentMode> ENRICHMENT_MODE = KEYS.add(ConfigKey.choice("enrichment.mode",
            EnrichmentMode.EVENT_TIME,
            "event-time: the info version valid at the trade's time (deterministic); latest: the newest known"));
    public static final ConfigKey<Duration> MAX_WAIT = KEYS.add(ConfigKey.duration("enrichment.max-wait", "30s",
            "event time a trade waits for its symbol's first info before it is emitted as UNKNOWN"));
    public static final ConfigKey<Duration> EARLY_FIRE_INTERVAL = KEYS.add(ConfigKey.duration(
            "window.early-fire-interval", "0",
            "if set, upsert partial window results this often (processing time) before the final one"));
    public static final ConfigKey<Boolean> DEDUP = KEYS.add(ConfigKey.bool("dedup.enabled", true,
            "count a trade_id delivered twice within the allowed lateness once"));
    public static final ConfigKey<Boolean> OUTPUT_KAFKA = KEYS.add(ConfigKey.bool("output.kafka", false,
            "also publish enriched trades and sector metrics to Kafka topics, exactly once"));

    public static final ConfigKey<MarketArchitecture> ARCHITECTURE = KEYS.add(ConfigKey.choice("architecture",
            MarketArchitecture.UNIFIED, "unified: one job; staged: job A enriches into the transactional topic "
                    + "topic.enriched, job B writes the tables from it; dual: two independent jobs, each enriching"));

    @Override
    public List<String> inputTopics() {
        return List.of(tradesTopic, infoTopic);
    }

    public Duration outOfOrderness() {
        return common.outOfOrderness();
    }

    public Duration windowSize() {
        return common.windowSize();
    }

    public Duration allowedLateness() {
        return common.allowedLateness();
    }

    public static ConfigKeys keys() {
        return KEYS;
    }

    public static MarketConfig defaults() {
        return from(Settings.defaults(KEYS.all()));
    }

    /** Defaults overridden by the given key/value pairs (tests, benchmarks). */
    public static MarketConfig with(Map<String, String> overrides) {
        return from(Settings.layered(KEYS.all(), null, Map.of(), overrides));
    }

    public static MarketConfig from(Settings s) {
        MarketConfig config = new MarketConfig(COMMON.read(s), PostgresSettings.read(s), s.get(TOPIC_TRADES),
                s.get(TOPIC_INFO), s.get(TOPIC_ENRICHED), s.get(TOPIC_METRICS), s.get(INFO_IDLE_TIMEOUT),
                s.get(ENRICHMENT_MODE), s.get(MAX_WAIT), s.get(EARLY_FIRE_INTERVAL), s.get(DEDUP), s.get(OUTPUT_KAFKA),
                s.get(ARCHITECTURE));
        if (config.maxWait().compareTo(config.allowedLateness()) >= 0) {
            // A trade released as UNKNOWN after max-wait must still find its window open.
            throw new ConfigException("config key 'enrichment.max-wait' (" + ConfigKey.formatDuration(config.maxWait())
                    + ") must be shorter than 'window.allowed-lateness' ("
                    + ConfigKey.formatDuration(config.allowedLateness()) + ")");
        }
        return config;
    }
}
