package io.millrace.pipeline.engagement;

import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordOrigin;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.RedisConnection;
import io.millrace.config.RedisSinkOptions;
import io.millrace.config.SearchSinkOptions;
import io.millrace.config.Settings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.job.JobSetup;
import io.millrace.model.DeadLetter;
import io.millrace.model.LateEvent;
import io.millrace.pipeline.CaptureSpec;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.GeneratorSpec;
import io.millrace.pipeline.OperatorNames;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.Service;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.ResultChart;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.SourceSpec;
import io.millrace.sink.KafkaOutputs;
import io.millrace.sink.RedisProgress;
import io.millrace.sink.RedisSink;
import io.millrace.sink.SearchSink;
import io.millrace.sink.WarehouseTable;
import io.millrace.source.KafkaInputs;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.DistributionMode;

/**
 * The {@code engagement} pipeline: the {@code content} and {@code engagement_events} tables of a PostgreSQL
 * database, captured into Kafka (commit time and log position on every change, heartbeats on every
 * partition), through {@link EngagementPipeline} into Redis (per-minute statistics by content type and by
 * event type, and leaderboards of content items), and every enriched event into a search index and a warehouse
 * table; events committed after their minute closed go to
 * {@code engagement.late}, invalid rows to {@code engagement.dlq}. Options: {@link EngagementConfig}.
 */
public final class EngagementDefinition extends PipelineDefinition<EngagementConfig> {

    public static final String JOB_NAME = "millrace-engagement";
    /** The Redis sink of the per-minute statistics. */
    public static final RedisProgress MINUTES_PROGRESS = new RedisProgress(RedisKeys.PROGRESS, "minutes");
    /** The Redis sink of the leaderboards. */
    public static final RedisProgress LEADERBOARD_PROGRESS = new RedisProgress(RedisKeys.PROGRESS, "leaderboards");

    /** The operator whose output every enriched event leaves by: what the search and warehouse sinks are fed. */
    public static final String ENRICHMENT = EngagementPipeline.ENRICHMENT;

    private static final ConfigKeys GENERATOR_OPTIONS = new ConfigKeys();
    static final ConfigKey<Integer> CONTENT = GENERATOR_OPTIONS.add(ConfigKey.integer("content", 5000,
            "content rows written before the events (16 types)"));
    static final ConfigKey<Integer> CHANGE_EVERY = GENERATOR_OPTIONS.add(ConfigKey.integer("change-every", 2000,
            "events between two content changes (an update of title, type and length, or every fourth time a delete); "
                    + "0: none"));

    @Override
    public String name() {
        return EngagementConfig.PIPELINE;
    }

    @Override
    public String description() {
        return "engagement events captured from PostgreSQL, joined with their content as it was when committed, "
                + "into per-minute statistics and leaderboards in Redis, and every enriched event into a search index and "
                + "an Iceberg warehouse table";
    }

    @Override
    public ConfigKeys keys() {
        return EngagementConfig.keys();
    }

    @Override
    public EngagementConfig config(Settings settings) {
        return EngagementConfig.from(settings);
    }

    @Override
    public Set<Service> services() {
        return Set.of(Service.KAFKA, Service.POSTGRES, Service.REDIS, Service.CAPTURE, Service.SEARCH);
    }

    @Override
    public Optional<String> searchIndex(EngagementConfig config) {
        return Optional.of(config.searchIndex());
    }

    @Override
    public String stackDatabase() {
        return EngagementConfig.DATABASE;
    }

    @Override
    public Optional<CaptureSpec> capture(EngagementConfig config) {
        return Optional.of(new CaptureSpec(name(), config.source(), SourceSchema.TABLES, config.captureSlot(),
                config.capturePublication(), config.captureTopicPrefix(), config.capturePartitions(),
                config.heartbeatInterval()));
    }

    @Override
    public void prepareSources(EngagementConfig config) throws Exception {
        SourceSchema.ensure(config.source());
    }

    @Override
    public List<TopicSpec> topics(EngagementConfig config) {
        return List.of(new TopicSpec(config.contentTopic(), config.capturePartitions(), false),
                new TopicSpec(config.eventsTopic(), config.capturePartitions(), false),
                new TopicSpec(config.lateTopic(), 2, false), new TopicSpec(config.dlqTopic(), 2, false));
    }

    @Override
    public List<PipelineJob> jobs(EngagementConfig config) {
        return List.of(new PipelineJob(JOB_NAME, env -> {
            JobSetup.configure(env, config.common());
            attach(env, config);
        }));
    }

    @Override
    public List<SourceSpec> sources(EngagementConfig config) {
        return List.of(SourceSpec.kafka(config.eventsTopic()), SourceSpec.kafka(config.contentTopic()));
    }

    @Override
    public List<SinkSpec> sinks(EngagementConfig config) {
        RedisConnection redis = redis(config);
        return List.of(new SinkSpec.RedisKeys(MINUTES_PROGRESS.name(), SinkRole.RESULTS, redis, List.of(
                        RedisKeys.ACCESS_BY_TYPE + "*", RedisKeys.ACCESS_BY_EVENT + "*", RedisKeys.ENGAGEMENT_BY_TYPE + "*",
                        RedisKeys.ENGAGEMENT_AVG_BY_TYPE + "*", RedisKeys.PROGRESS)),
                new SinkSpec.RedisKeys(LEADERBOARD_PROGRESS.name(), SinkRole.RESULTS, redis, List.of(
                        RedisKeys.TOP_BY_ACCESS, RedisKeys.TOP_BY_ENGAGEMENT, RedisKeys.LEADERBOARD_WINDOW,
                        RedisKeys.PROGRESS)),
                new SinkSpec.SearchIndex(config.searchIndex(), SinkRole.ENRICHED, config.search(), ENRICHMENT,
                        "content_type:video AND event_type:finish AND device:ios"),
                new SinkSpec.WarehouseTable(config.warehouseTable(), SinkRole.ENRICHED, config.warehouse(), ENRICHMENT,
                        "SELECT content_type, count(*) AS events, round(avg(engagement_pct), 2) AS avg_pct FROM "
                                + config.warehouseTable() + " GROUP BY 1 ORDER BY 2 DESC"),
                new SinkSpec.KafkaTopic(config.lateTopic(), SinkRole.LATE),
                new SinkSpec.KafkaTopic(config.dlqTopic(), SinkRole.DEAD_LETTERS));
    }

    @Override
    public Finality finality(EngagementConfig config) {
        return new Finality.RedisProgress(redis(config), List.of(MINUTES_PROGRESS, LEADERBOARD_PROGRESS));
    }

    static RedisConnection redis(EngagementConfig config) {
        return config.redis();
    }

    @Override
    public String mainTopic(EngagementConfig config) {
        return config.eventsTopic();
    }

    @Override
    public String referenceTopic(EngagementConfig config) {
        return config.contentTopic();
    }

    @Override
    public GeneratorSpec generatorSpec() {
        return new GeneratorSpec(name(), List.of(), "Write to the source database, as the original generator does: "
                + "content rows first (16 types), then engagement events in batched inserts at --rate, with content "
                + "updates and deletes now and then; --bad-fraction writes rows the pipeline rejects (a negative "
                + "duration, a payload that is not an object naming its session) and as many events about content "
                + "that does not exist.", GENERATOR_OPTIONS, Map.of());
    }

    @Override
    public EventGenerator generator(EngagementConfig config, GeneratorOptions shared, Settings options) {
        return new EngagementEventGenerator(shared, options.get(CONTENT), options.get(CHANGE_EVERY));
    }

    @Override
    public GeneratorOutput generatorOutput(EngagementConfig config) {
        return new SourceDatabaseOutput(config.source());
    }

    @Override
    public InputOracle oracle(EngagementConfig config, List<InputRecord> reference, long now) {
        return new EngagementOracle(EngagementVerifier.rules(config), now);
    }

    @Override
    public VerifyResult verify(EngagementConfig config, Duration wait, PrintWriter out) throws Exception {
        return EngagementVerifier.verify(config, wait, out);
    }

    @Override
    public long eventTime(EngagementConfig config, byte[] value) {
        try {
            EngagementEvent e = new EngagementEventDecoder(Long.MAX_VALUE / 4).decode(value, new RecordOrigin("", 0, 0));
            return e.heartbeat() ? Long.MIN_VALUE : e.eventTs();
        } catch (InvalidRecordException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Commit time closes a minute: no closing rows are needed, only time (carried by the heartbeats). */
    @Override
    public Duration closingOffset(EngagementConfig config) {
        return Duration.ZERO;
    }

    @Override
    public Duration lateBy(EngagementConfig config) {
        CommonSettings c = config.common();
        return c.windowSize().plus(c.allowedLateness()).plus(Duration.ofMinutes(1));
    }

    /** The last minute of event time is final once commit time passes its end plus the allowed lateness. */
    @Override
    public long drainTarget(EngagementConfig config, long maxEventTime) {
        long minute = config.common().windowSize().toMillis();
        return Math.floorDiv(maxEventTime, minute) * minute + minute - 1 + config.common().allowedLateness().toMillis();
    }

    /** The key a fan-out sink's writers are partitioned by. */
    static String fanOutKey(EnrichedEngagement e, FanOutKey key) {
        return switch (key) {
            case EVENT_ID -> Long.toString(e.id());
            case CONTENT_ID -> String.valueOf(e.contentId());
            case USER_ID -> String.valueOf(e.userId());
            case EVENT_DAY -> Long.toString(Math.floorDiv(e.eventTs(), 86_400_000L));
        };
    }

    /** Adds the change-topic sources, the pipeline and the sinks to {@code env}. */
    static void attach(StreamExecutionEnvironment env, EngagementConfig config) {
        CommonSettings c = config.common();
        long maxFuture = c.maxFuture().toMillis();
        // No partition is ever declared idle: the capture's heartbeats reach every partition, and a split held
        // back by backpressure (a sink's outage) would otherwise be declared idle and its queued changes fall
        // behind the watermark, where the join can no longer see the content as it was.
        Duration noIdleness = Duration.ZERO;
        SingleOutputStreamOperator<ContentChange> contentChanges = env
                .fromSource(KafkaInputs.decoded(c.kafka(), c.groupId(), c.startingOffsets(), config.contentTopic(),
                                EngagementConfig.PIPELINE, new ContentChangeDecoder(), ContentChange.class),
                        Watermarks.decoded(ContentChange::commitTs, c.outOfOrderness(), noIdleness),
                        OperatorNames.kafkaSource(config.contentTopic()))
                .uid("source-content")
                .process(new DeadLetterSplitter<>(ContentChange.class))
                .name("Route invalid content changes")
                .uid("route-invalid-content");
        SingleOutputStreamOperator<EngagementEvent> events = env
                .fromSource(KafkaInputs.decoded(c.kafka(), c.groupId(), c.startingOffsets(), config.eventsTopic(),
                                EngagementConfig.PIPELINE, new EngagementEventDecoder(maxFuture), EngagementEvent.class),
                        Watermarks.decoded(EngagementEvent::commitTs, c.outOfOrderness(), noIdleness),
                        OperatorNames.kafkaSource(config.eventsTopic()))
                .uid("source-events")
                .process(new DeadLetterSplitter<>(EngagementEvent.class))
                .name("Route invalid events")
                .uid("route-invalid-events");

        // Heartbeats have moved the watermark on their way through the sources; they carry no row.
        EngagementResults results = EngagementPipeline.build(
                contentChanges.filter(change -> !change.heartbeat()).name("Content rows"),
                events.filter(event -> !event.heartbeat()).name("Event rows"), config);

        RedisConnection redis = redis(config);
        RedisSinkOptions options = new RedisSinkOptions(config.redisBatchSize(), config.redisFlushInterval(),
                config.redisMaxRetries(), config.redisRetryBackoff());
        // Keyed by the Redis key a result writes, so every write of one key comes from one writer, in order.
        results.minutes()
                .keyBy(m -> m.dimension() + "/" + m.windowStart(), TypeInformation.of(String.class))
                .sinkTo(new RedisSink<>(redis, EngagementRedisWrites::minute, options, MINUTES_PROGRESS))
                .setParallelism(config.redisParallelism())
                .name(OperatorNames.redisSink(MINUTES_PROGRESS.name()))
                .uid("sink-redis-minutes");
        results.leaderboards()
                .sinkTo(new RedisSink<>(redis, EngagementRedisWrites::leaderboard, options, LEADERBOARD_PROGRESS))
                .setParallelism(1)
                .name(OperatorNames.redisSink(LEADERBOARD_PROGRESS.name()))
                .uid("sink-redis-leaderboards");
        // Every enriched event, late ones included (they miss only their minute's statistics), once in each.
        results.enriched()
                .keyBy(e -> fanOutKey(e, config.searchKey()), TypeInformation.of(String.class))
                .sinkTo(new SearchSink<>(config.search(), EngagementSearch.index(config.searchIndex()),
                        EngagementSearch::document, new SearchSinkOptions(config.searchBatchSize(),
                                config.searchFlushInterval(), config.searchMaxRetries(), config.searchRetryBackoff())))
                .setParallelism(config.searchParallelism())
                .name(OperatorNames.searchSink(config.searchIndex()))
                .uid("sink-search-events");
        WarehouseTable.attach(config.warehouseKey() == FanOutKey.EVENT_DAY ? results.enriched()
                        : results.enriched().keyBy(e -> fanOutKey(e, config.warehouseKey()), TypeInformation.of(String.class)),
                config.warehouse(), EngagementWarehouse.table(config.warehouseTable()), EngagementWarehouse.ROWS,
                config.warehouseParallelism(), config.warehouseKey() == FanOutKey.EVENT_DAY ? DistributionMode.HASH
                        : DistributionMode.NONE, "sink-warehouse-events", OperatorNames.warehouseSink(config.warehouseTable()));
        results.late()
                .sinkTo(KafkaOutputs.keyed(c.kafka(), config.lateTopic(), c.transactionalIdPrefix() + "-late",
                        (LateEvent e) -> e.id().getBytes(StandardCharsets.UTF_8), WindowJsonEncoder::lateEvent))
                .name(OperatorNames.kafkaSink(config.lateTopic()))
                .uid("sink-late");
        DataStream<DeadLetter> deadLetters = contentChanges.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
                .union(events.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
        deadLetters
                .sinkTo(KafkaOutputs.deadLetters(c.kafka(), config.dlqTopic(), c.transactionalIdPrefix()))
                .name(OperatorNames.kafkaSink(config.dlqTopic()))
                .uid("sink-dlq");
    }

    /** Events per minute by content type, from the per-minute Redis hashes. */
    @Override
    public List<ResultChart> resultCharts(EngagementConfig config) {
        return List.of(ResultChart.lines("Events per minute by content type", "events", "minute", "content_type",
                "events"));
    }

    /**
     * Per minute and content type the events counted, from the newest per-minute hashes, oldest first; empty if Redis
     * cannot be read. The minute keys are found with SCAN (bounded by the pipeline's own keys, one per minute).
     */
    @Override
    public List<Map<String, Object>> latestResults(EngagementConfig config, int limit) {
        DateTimeFormatter minute = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Jedis jedis = config.redis().open(Duration.ofSeconds(2))) {
            List<String> keys = new ArrayList<>();
            ScanParams match = new ScanParams().match(RedisKeys.ACCESS_BY_TYPE + "*").count(500);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            // Minute keys sort by time as text; the newest 30 minutes are plenty for a chart.
            keys.sort(null);
            for (String key : keys.subList(Math.max(0, keys.size() - 30), keys.size())) {
                long at = LocalDateTime.parse(key.substring(RedisKeys.ACCESS_BY_TYPE.length()), minute)
                        .toInstant(ZoneOffset.UTC).toEpochMilli();
                jedis.hgetAll(key).forEach((type, events) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("minute", at);
                    row.put("content_type", type);
                    row.put("events", Long.parseLong(events));
                    rows.add(row);
                });
            }
        } catch (JedisException | DateTimeParseException e) {
            // Redis is restarting, or a key of the pattern that is not a minute: nothing to chart right now.
            return List.of();
        }
        return rows.subList(Math.max(0, rows.size() - limit), rows.size());
    }
}
