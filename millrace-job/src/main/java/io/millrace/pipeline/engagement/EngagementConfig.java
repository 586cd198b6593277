package io.millrace.pipeline.engagement;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.PipelineConfig;
import io.millrace.config.PostgresConnection;
import io.millrace.config.PostgresSettings;
import io.millrace.config.RedisConnection;
import io.millrace.config.RedisSettings;
import io.millrace.config.SearchConnection;
import io.millrace.config.SearchSettings;
import io.millrace.config.Settings;
import io.millrace.config.WarehouseConnection;
import io.millrace.config.WarehouseSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of the {@code engagement} pipeline: the source database whose changes are
 * captured, the change topics, the content join, the per-minute and leaderboard statistics, and the three
 * sinks: Redis, the search index and the warehouse table, each with its own parallelism, batching and key. The watermark bound applies to commit times (the change stream's clock), the window and its
 * lateness to {@code event_ts}.
 */
public record EngagementConfig(
        CommonSettings common,
        PostgresConnection source,
        String contentTopic,
        String eventsTopic,
        String lateTopic,
        String captureSlot,
        String capturePublication,
        String captureTopicPrefix,
        int capturePartitions,
        Duration heartbeatInterval,
        Duration maxWait,
        Duration dedupRetention,
        int leaderboardMinutes,
        int topN,
        RedisConnection redis,
        int redisParallelism,
        int redisBatchSize,
        Duration redisFlushInterval,
        int redisMaxRetries,
        Duration redisRetryBackoff,
        SearchConnection search,
        String searchIndex,
        int searchParallelism,
        int searchBatchSize,
        Duration searchFlushInterval,
        int searchMaxRetries,
        Duration searchRetryBackoff,
        FanOutKey searchKey,
        WarehouseConnection warehouse,
        String warehouseTable,
        int warehouseParallelism,
        FanOutKey warehouseKey) implements PipelineConfig {

    public static final String PIPELINE = "engagement";
    /** The database of the source tables on the local stack's PostgreSQL server. */
    public static final String DATABASE = "engagement";

    private static final ConfigKeys KEYS = new ConfigKeys();
    private static final CommonSettings.Keys COMMON = CommonSettings.declare(KEYS,
            new CommonSettings.Defaults(PIPELINE, "1s", "1min", "2min"));
    static {
        PostgresSettings.declareConnection(KEYS);
        RedisSettings.declare(KEYS);
        SearchSettings.declare(KEYS);
        WarehouseSettings.declare(KEYS);
    }
    public static final ConfigKey<String> TOPIC_CONTENT = KEYS.add(ConfigKey.topic("topic.content",
            "engagement.public.content", "change topic of the content table (written by the capture service)"));
    public static final ConfigKey<String> TOPIC_EVENTS = KEYS.add(ConfigKey.topic("topic.events",
            "engagement.public.engagement_events", "change topic of the engagement_events table"));
    public static final ConfigKey<String> TOPIC_LATE = KEYS.add(ConfigKey.topic("topic.late", "engagement.late",
            "topic of events committed after their minute closed"));
    public static final ConfigKey<String> CAPTURE_SLOT = KEYS.add(ConfigKey.string("capture.slot", "millrace_engagement",
            "replication slot of the capture service"));
    public static final ConfigKey<String> CAPTURE_PUBLICATION = KEYS.add(ConfigKey.string("capture.publication",
            "millrace_engagement", "publication of the captured tables (created by the capture service)"));
    public static final ConfigKey<String> CAPTURE_TOPIC_PREFIX = KEYS.add(ConfigKey.string("capture.topic-prefix",
            "engagement", "prefix of the change topics: <prefix>.<schema>.<table>"));
    public static final ConfigKey<Integer> CAPTURE_PARTITIONS = KEYS.add(ConfigKey.integer("capture.partitions", 4,
            "partitions of each change topic"));
    public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = KEYS.add(ConfigKey.duration("capture.heartbeat-interval",
            "1s", "how often the capture service tells every partition how far the database's commits are delivered"));
    public static final ConfigKey<Duration> MAX_WAIT = KEYS.add(ConfigKey.duration("enrichment.max-wait", "30s",
            "commit time an event waits for a content row committed after it, before it goes out as UNKNOWN"));
    public static final ConfigKey<Duration> DEDUP_RETENTION = KEYS.add(ConfigKey.duration("dedup.retention", "1h",
            "commit time an event id is remembered, to drop a second delivery of it"));
    public static final ConfigKey<Integer> LEADERBOARD_MINUTES = KEYS.add(ConfigKey.integer("stats.leaderboard-minutes",
            10, "minutes of event time the leaderboards rank over"));
    public static final ConfigKey<Integer> TOP_N = KEYS.add(ConfigKey.integer("stats.top-n", 10,
            "content items per leaderboard"));
    public static final ConfigKey<Integer> REDIS_PARALLELISM = KEYS.add(ConfigKey.integer("sink.redis.parallelism", 2,
            "parallel writers to Redis"));
    public static final ConfigKey<Integer> REDIS_BATCH_SIZE = KEYS.add(ConfigKey.integer("sink.redis.batch-size", 500,
            "writes buffered per Redis writer before a pipelined flush"));
    public static final ConfigKey<Duration> REDIS_FLUSH_INTERVAL = KEYS.add(ConfigKey.duration("sink.redis.flush-interval",
            "500ms", "longest time a write waits in a Redis writer's buffer"));
    public static final ConfigKey<Integer> REDIS_MAX_RETRIES = KEYS.add(ConfigKey.integer("sink.redis.max-retries", 5,
            "retries of a failed flush (with backoff) before the job fails over to its last checkpoint"));
    public static final ConfigKey<Duration> REDIS_RETRY_BACKOFF = KEYS.add(ConfigKey.duration("sink.redis.retry-backoff",
            "500ms", "first retry delay; doubles on every retry"));

    public static final ConfigKey<String> SEARCH_INDEX = KEYS.add(ConfigKey.string("sink.search.index", "engagement-events",
            "search index of the enriched events (one document per event, its id the event id)"));
    public static final ConfigKey<Integer> SEARCH_PARALLELISM = KEYS.add(ConfigKey.integer("sink.search.parallelism", 1,
            "parallel writers to the search index"));
    public static final ConfigKey<Integer> SEARCH_BATCH_SIZE = KEYS.add(ConfigKey.integer("sink.search.batch-size", 2000,
            "documents buffered per search writer before a bulk request"));
    public static final ConfigKey<Duration> SEARCH_FLUSH_INTERVAL = KEYS.add(ConfigKey.duration("sink.search.flush-interval",
            "1s", "longest time a document waits in a search writer's buffer (every checkpoint flushes too)"));
    public static final ConfigKey<Integer> SEARCH_MAX_RETRIES = KEYS.add(ConfigKey.integer("sink.search.max-retries", 8,
            "retries of a failed bulk request (with backoff) before the job fails over to its last checkpoint"));
    public static final ConfigKey<Duration> SEARCH_RETRY_BACKOFF = KEYS.add(ConfigKey.duration("sink.search.retry-backoff",
            "500ms", "first retry delay of a bulk request; doubles on every retry"));
    public static final ConfigKey<FanOutKey> SEARCH_KEY = KEYS.add(ConfigKey.choice("sink.search.key", FanOutKey.EVENT_ID,
            "what the search writers are partitioned by"));
    public static final ConfigKey<String> WAREHOUSE_TABLE = KEYS.add(ConfigKey.string("sink.warehouse.table",
            "engagement_events", "warehouse table of the enriched events (partitioned by event day)"));
    public static final ConfigKey<Integer> WAREHOUSE_PARALLELISM = KEYS.add(ConfigKey.integer("sink.warehouse.parallelism",
            1, "parallel writers of warehouse data files (one commit per checkpoint for all of them)"));
    public static final ConfigKey<FanOutKey> WAREHOUSE_KEY = KEYS.add(ConfigKey.choice("sink.warehouse.key",
            FanOutKey.EVENT_DAY, "what the warehouse writers are partitioned by"));

    @Override
    public List<String> inputTopics() {
        return List.of(contentTopic, eventsTopic);
    }

    public static ConfigKeys keys() {
        return KEYS;
    }

    /** Defaults overridden by the given key/value pairs (tests). */
    public static EngagementConfig with(Map<String, String> overrides) {
        return from(Settings.layered(KEYS.all(), null, Map.of(), overrides));
    }

    public static EngagementConfig from(Settings s) {
        EngagementConfig config = new EngagementConfig(COMMON.read(s), PostgresSettings.connection(s), s.get(TOPIC_CONTENT),
                s.get(TOPIC_EVENTS), s.get(TOPIC_LATE), s.get(CAPTURE_SLOT), s.get(CAPTURE_PUBLICATION),
                s.get(CAPTURE_TOPIC_PREFIX), s.get(CAPTURE_PARTITIONS), s.get(HEARTBEAT_INTERVAL), s.get(MAX_WAIT),
                s.get(DEDUP_RETENTION), s.get(LEADERBOARD_MINUTES), s.get(TOP_N), RedisSettings.connection(s),
                s.get(REDIS_PARALLELISM), s.get(REDIS_BATCH_SIZE),
                s.get(REDIS_FLUSH_INTERVAL), s.get(REDIS_MAX_RETRIES), s.get(REDIS_RETRY_BACKOFF),
                SearchSettings.connection(s), s.get(SEARCH_INDEX), s.get(SEARCH_PARALLELISM), s.get(SEARCH_BATCH_SIZE),
                s.get(SEARCH_FLUSH_INTERVAL), s.get(SEARCH_MAX_RETRIES), s.get(SEARCH_RETRY_BACKOFF), s.get(SEARCH_KEY),
                WarehouseSettings.connection(s), s.get(WAREHOUSE_TABLE), s.get(WAREHOUSE_PARALLELISM), s.get(WAREHOUSE_KEY));
        if (config.leaderboardMinutes() < 1 || config.topN() < 1 || config.redisParallelism() < 1
                || config.redisBatchSize() < 1 || config.capturePartitions() < 1 || config.searchParallelism() < 1
                || config.searchBatchSize() < 1 || config.warehouseParallelism() < 1) {
            throw new ConfigException("stats.leaderboard-minutes, stats.top-n, sink.redis.parallelism, "
                    + "sink.redis.batch-size, sink.search.parallelism, sink.search.batch-size, sink.warehouse.parallelism "
                    + "and capture.partitions must be at least 1");
        }
        if (!config.searchIndex().matches("[a-z0-9][a-z0-9_.-]*")) {
            throw new ConfigException("config key 'sink.search.index' must be a lower-case index name, got '"
                    + config.searchIndex() + "'");
        }
        if (!config.warehouseTable().matches("[a-z_][a-z0-9_]*")) {
            throw new ConfigException("config key 'sink.warehouse.table' must be a lower-case SQL name, got '"
                    + config.warehouseTable() + "'");
        }
        if (config.maxWait().compareTo(config.common().allowedLateness()) >= 0) {
            // An event released as UNKNOWN after max-wait must still find its minute open.
            throw new ConfigException("config key 'enrichment.max-wait' must be shorter than 'window.allowed-lateness'");
        }
        return config;
    }
}
