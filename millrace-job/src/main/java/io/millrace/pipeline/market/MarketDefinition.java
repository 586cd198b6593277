package io.millrace.pipeline.market;

import io.millrace.codec.EnrichedTradeLogCodec;
import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.MarketInfoJsonDecoder;
import io.millrace.codec.RecordOrigin;
import io.millrace.codec.ResultJsonEncoder;
import io.millrace.codec.TradeJsonDecoder;
import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.function.WatermarkMarkerOperator;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.job.JobSetup;
import io.millrace.model.DeadLetter;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.EnrichedTradeLogEntry;
import io.millrace.model.MarketInfo;
import io.millrace.model.SectorMetrics;
import io.millrace.model.Trade;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.GeneratorSpec;
import io.millrace.pipeline.LatencyProbe;
import io.millrace.pipeline.OperatorNames;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.PipelineFlag;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.ResultChart;
import io.millrace.pipeline.Service;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.SourceSpec;
import io.millrace.pipeline.SqlBaseline;
import io.millrace.sink.KafkaOutputs;
import io.millrace.sink.PostgresTable;
import io.millrace.sink.PostgresUpsertSink;
import io.millrace.source.KafkaInputs;
import io.millrace.source.MarkerWatermarks;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@code market} pipeline: {@code stock-trades} and {@code stock-info} (Kafka, JSON) through
 * {@link MarketPipeline} into PostgreSQL {@code enriched_trades}, {@code sector_metrics} and
 * {@code late_trades} (and, with {@code output.kafka}, the topics {@code enriched-trades} and
 * {@code sector-metrics}); invalid records to {@code market.dlq}. Options: {@link MarketConfig}.
 */
public final class MarketDefinition extends PipelineDefinition<MarketConfig> {

    public static final String JOB_NAME = "millrace-market";

    private static final ConfigKeys GENERATOR_OPTIONS = new ConfigKeys();
    static final ConfigKey<Integer> SYMBOLS = GENERATOR_OPTIONS.add(ConfigKey.integer("symbols", 8,
            "number of symbols: the 8 of the original, then synthetic ones"));
    static final ConfigKey<Double> DUPLICATE_FRACTION = GENERATOR_OPTIONS.add(ConfigKey.decimal("duplicate-fraction", 0,
            "share of re-sent earlier trades"));
    static final ConfigKey<Duration> INFO_INTERVAL = GENERATOR_OPTIONS.add(ConfigKey.duration("info-interval", "5s",
            "event time between info updates (one symbol each, round robin)"));

    @Override
    public String name() {
        return MarketConfig.PIPELINE;
    }

    @Override
    public String description() {
        return "trades enriched with the symbol info valid at their time, and 1-minute sector metrics, into PostgreSQL";
    }

    @Override
    public ConfigKeys keys() {
        return MarketConfig.keys();
    }

    @Override
    public MarketConfig config(Settings settings) {
        return MarketConfig.from(settings);
    }

    @Override
    public Set<Service> services() {
        return Set.of(Service.KAFKA, Service.POSTGRES);
    }

    @Override
    public List<PipelineFlag> flags() {
        return List.of(PipelineFlag.enabling("--kafka-output", MarketConfig.OUTPUT_KAFKA,
                "also publish the results to Kafka topics, exactly once"),
                PipelineFlag.of("--architecture", MarketConfig.ARCHITECTURE,
                        "unified (one job), staged (enrich into a topic, then tables) or dual (two jobs, each enriching)"));
    }

    /** Input topics as the generator creates them; the DLQ and, with Kafka output, the result topics too. */
    @Override
    public List<TopicSpec> topics(MarketConfig config) {
        List<TopicSpec> topics = new ArrayList<>(List.of(
                new TopicSpec(config.tradesTopic(), 4, false),
                new TopicSpec(config.infoTopic(), 2, true),
                new TopicSpec(config.dlqTopic(), 2, false)));
        if (config.kafkaOutput() || config.architecture() == MarketArchitecture.STAGED) {
            topics.add(new TopicSpec(config.enrichedTopic(), 4, false));
        }
        if (config.kafkaOutput()) {
            // Not compacted: every firing of a window stays readable, so a duplicate would be visible.
            topics.add(new TopicSpec(config.metricsTopic(), 2, false));
        }
        return topics;
    }

    /** One job, or two (each with its checkpoints in its own subdirectory), after {@code architecture}. */
    @Override
    public List<PipelineJob> jobs(MarketConfig config) {
        return switch (config.architecture()) {
            case UNIFIED -> List.of(new PipelineJob(JOB_NAME, env -> {
                JobSetup.configure(env, config.common());
                attach(env, config);
            }));
            // Job A keeps the pipeline's group: its progress on the input is the pipeline's.
            case STAGED -> List.of(
                    job(config, "enrich", false, MarketDefinition::attachStagedEnrichment),
                    job(config, "aggregate", true, MarketDefinition::attachStagedAggregation));
            case DUAL -> List.of(
                    job(config, "trades", false, MarketDefinition::attachDualTrades),
                    job(config, "metrics", true, MarketDefinition::attachDualMetrics));
        };
    }

    /** Adds one job's parts to an environment configured with that job's settings. */
    @FunctionalInterface
    private interface JobParts {
        void attach(StreamExecutionEnvironment env, MarketConfig config, CommonSettings common);
    }

    private static PipelineJob job(MarketConfig config, String part, boolean ownGroup, JobParts parts) {
        return new PipelineJob(JOB_NAME + "-" + part, part, env -> {
            CommonSettings common = config.common().forJob(part, ownGroup);
            JobSetup.configure(env, common);
            parts.attach(env, config, common);
        });
    }

    @Override
    public List<SourceSpec> sources(MarketConfig config) {
        return List.of(SourceSpec.kafka(config.tradesTopic()), SourceSpec.kafka(config.infoTopic()));
    }

    @Override
    public Optional<LatencyProbe> latencyProbe(MarketConfig config) {
        return Optional.of(new EnrichedTradeProbe(config.postgres().connection(), MarketTables.ENRICHED_TRADES.name()));
    }

    @Override
    public Optional<SqlBaseline> sqlBaseline(MarketConfig config) {
        return Optional.of(new MarketSqlBaseline(config));
    }

    @Override
    public List<SinkSpec> sinks(MarketConfig config) {
        var postgres = config.postgres().connection();
        List<SinkSpec> sinks = new ArrayList<>(List.of(
                new SinkSpec.PostgresTable(MarketTables.ENRICHED_TRADES.name(), SinkRole.RESULTS, postgres),
                new SinkSpec.PostgresTable(MarketTables.SECTOR_METRICS.name(), SinkRole.RESULTS, postgres),
                new SinkSpec.PostgresTable(MarketTables.LATE_TRADES.name(), SinkRole.LATE, postgres),
                new SinkSpec.KafkaTopic(config.dlqTopic(), SinkRole.DEAD_LETTERS)));
        if (config.kafkaOutput()) {
            sinks.add(new SinkSpec.KafkaTopic(config.enrichedTopic(), SinkRole.RESULTS));
            sinks.add(new SinkSpec.KafkaTopic(config.metricsTopic(), SinkRole.RESULTS));
        } else if (config.architecture() == MarketArchitecture.STAGED) {
            // The staged topic between the two jobs: every valid trade once, enriched.
            sinks.add(new SinkSpec.KafkaTopic(config.enrichedTopic(), SinkRole.ENRICHED));
        }
        return sinks;
    }

    /** Both result tables must be final; each records its progress with its rows. */
    @Override
    public Finality finality(MarketConfig config) {
        return new Finality.ProgressTable(config.postgres().connection(), MarketConfig.PIPELINE,
                List.of(MarketTables.ENRICHED_TRADES.name(), MarketTables.SECTOR_METRICS.name()));
    }

    @Override
    public String mainTopic(MarketConfig config) {
        return config.tradesTopic();
    }

    @Override
    public String referenceTopic(MarketConfig config) {
        return config.infoTopic();
    }

    @Override
    public GeneratorSpec generatorSpec() {
        return new GeneratorSpec(name(), List.of(), "Write stock-info (all symbols first, then periodic updates) and "
                + "stock-trades. Event time advances 1/rate per trade record from --start-time, so a seed and start "
                + "time give the same records.", GENERATOR_OPTIONS, Map.of(DUPLICATE_FRACTION.name(), "0.001"));
    }

    @Override
    public EventGenerator generator(MarketConfig config, GeneratorOptions o, Settings options) {
        return new MarketEventGenerator(new MarketGeneratorOptions(o.seed(), options.get(SYMBOLS), o.rate(),
                o.startTime(), o.outOfOrderFraction(), o.maxDelay(), o.lateFraction(), o.lateBy(), o.badFraction(),
                options.get(DUPLICATE_FRACTION), options.get(INFO_INTERVAL)));
    }

    @Override
    public InputOracle oracle(MarketConfig config, List<InputRecord> reference, long now) {
        return new MarketOracle(reference, MarketVerifier.rules(config), now);
    }

    @Override
    public VerifyResult verify(MarketConfig config, Duration wait, PrintWriter out) throws Exception {
        return MarketVerifier.verify(config, wait, out);
    }

    @Override
    public long eventTime(MarketConfig config, byte[] value) {
        try {
            return new TradeJsonDecoder(Long.MAX_VALUE / 4).decode(value, new RecordOrigin("", 0, 0)).timestamp();
        } catch (InvalidRecordException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Far enough past the newest trade that the watermark closes every window and ends every info wait. */
    @Override
    public Duration closingOffset(MarketConfig config) {
        return config.outOfOrderness().plus(config.maxWait()).plus(config.windowSize()).plus(Duration.ofSeconds(1));
    }

    @Override
    public Duration lateBy(MarketConfig config) {
        return config.windowSize().plus(config.allowedLateness()).plus(config.outOfOrderness()).plus(Duration.ofMinutes(1));
    }

    @Override
    public long drainTarget(MarketConfig config, long maxEventTime) {
        return maxEventTime + config.maxWait().toMillis() + config.windowSize().toMillis();
    }

    /** Adds sources, the whole pipeline and every sink to {@code env}: the unified architecture. */
    public static void attach(StreamExecutionEnvironment env, MarketConfig config) {
        CommonSettings common = config.common();
        Inputs inputs = inputs(env, config, common);
        MarketResults results = MarketPipeline.build(inputs.trades(), inputs.infos(), config);
        toTable(results.enriched(), MarketTables.ENRICHED_TRADES, config, "sink-enriched-trades");
        toTable(results.sectorMetrics(), MarketTables.SECTOR_METRICS, config, "sink-sector-metrics");
        toTable(results.lateTrades(), MarketTables.LATE_TRADES, config, "sink-late-trades");
        if (config.kafkaOutput()) {
            enrichedToTopic(results.enriched(), config, common);
            metricsToTopic(results.sectorMetrics(), config, common);
        }
        deadLettersToTopic(inputs.deadLetters(), config, common, "sink-dlq");
    }

    /** Staged, job A: decode, validate, enrich; enriched trades (with watermark markers) into the staged topic. */
    static void attachStagedEnrichment(StreamExecutionEnvironment env, MarketConfig config, CommonSettings common) {
        Inputs inputs = inputs(env, config, common);
        MarketPipeline.Enrichment enrichment = MarketPipeline.enrich(inputs.trades(), inputs.infos(), config);
        enrichment.enriched()
                .transform("Watermark markers", TypeInformation.of(EnrichedTradeLogEntry.class),
                        new WatermarkMarkerOperator(common.kafka(), config.enrichedTopic()))
                .uid("watermark-markers")
                .sinkTo(KafkaOutputs.exactlyOnce(common.kafka(), common.transactionalIdPrefix() + "-enriched",
                        (entry, context, timestamp) -> entry.isMarker()
                                ? new ProducerRecord<>(config.enrichedTopic(), entry.partition(), null, null,
                                        EnrichedTradeLogCodec.encode(entry))
                                : new ProducerRecord<>(config.enrichedTopic(), null, null,
                                        entry.trade().tradeId().getBytes(StandardCharsets.UTF_8),
                                        EnrichedTradeLogCodec.encode(entry))))
                .name(OperatorNames.kafkaSink(config.enrichedTopic()))
                .uid("sink-enriched-trades-topic");
        toTable(enrichment.lateTrades(), MarketTables.LATE_TRADES, config, "sink-late-trades");
        deadLettersToTopic(inputs.deadLetters(), config, common, "sink-dlq");
    }

    /** Staged, job B: the staged topic, read committed, into enriched_trades and sector_metrics. */
    static void attachStagedAggregation(StreamExecutionEnvironment env, MarketConfig config, CommonSettings common) {
        SourceSpec staged = SourceSpec.kafka(config.enrichedTopic());
        SingleOutputStreamOperator<EnrichedTradeLogEntry> entries = env
                .fromSource(
                        KafkaInputs.decoded(common.kafka(), common.groupId(), common.startingOffsets(),
                                config.enrichedTopic(), MarketConfig.PIPELINE, new EnrichedTradeLogCodec(),
                                EnrichedTradeLogEntry.class),
                        MarkerWatermarks.strategy(),
                        staged.operatorName())
                .uid("source-enriched-trades")
                .process(new DeadLetterSplitter<>(EnrichedTradeLogEntry.class))
                .name("Route invalid enriched trades")
                .uid("route-invalid-enriched-trades");
        DataStream<EnrichedTrade> enriched = entries
                .flatMap((EnrichedTradeLogEntry entry, Collector<EnrichedTrade> out) -> {
                    if (!entry.isMarker()) {
                        out.collect(entry.trade());
                    }
                })
                .returns(EnrichedTrade.class)
                .name("Drop watermark markers");
        MarketPipeline.Aggregation aggregation = MarketPipeline.aggregate(enriched, config);
        toTable(enriched, MarketTables.ENRICHED_TRADES, config, "sink-enriched-trades");
        toTable(aggregation.sectorMetrics(), MarketTables.SECTOR_METRICS, config, "sink-sector-metrics");
        toTable(aggregation.lateTrades(), MarketTables.LATE_TRADES, config, "sink-window-late-trades");
        if (config.kafkaOutput()) {
            metricsToTopic(aggregation.sectorMetrics(), config, common);
        }
        deadLettersToTopic(entries.getSideOutput(DeadLetterSplitter.DEAD_LETTERS), config, common, "sink-dlq");
    }

    /** Dual, first job: its own enrichment into enriched_trades (and the late trades and dead letters). */
    static void attachDualTrades(StreamExecutionEnvironment env, MarketConfig config, CommonSettings common) {
        Inputs inputs = inputs(env, config, common);
        MarketPipeline.Enrichment enrichment = MarketPipeline.enrich(inputs.trades(), inputs.infos(), config);
        toTable(enrichment.enriched(), MarketTables.ENRICHED_TRADES, config, "sink-enriched-trades");
        toTable(enrichment.lateTrades(), MarketTables.LATE_TRADES, config, "sink-late-trades");
        if (config.kafkaOutput()) {
            enrichedToTopic(enrichment.enriched(), config, common);
        }
        deadLettersToTopic(inputs.deadLetters(), config, common, "sink-dlq");
    }

    /**
     * Dual, second job: its own enrichment again, into sector_metrics. The late trades and dead letters it meets
     * are the first job's to write; only the window's safety net is its own.
     */
    static void attachDualMetrics(StreamExecutionEnvironment env, MarketConfig config, CommonSettings common) {
        Inputs inputs = inputs(env, config, common);
        MarketPipeline.Enrichment enrichment = MarketPipeline.enrich(inputs.trades(), inputs.infos(), config);
        MarketPipeline.Aggregation aggregation = MarketPipeline.aggregate(enrichment.enriched(), config);
        toTable(aggregation.sectorMetrics(), MarketTables.SECTOR_METRICS, config, "sink-sector-metrics");
        toTable(aggregation.lateTrades(), MarketTables.LATE_TRADES, config, "sink-window-late-trades");
        if (config.kafkaOutput()) {
            metricsToTopic(aggregation.sectorMetrics(), config, common);
        }
    }

    /** The decoded, validated trades and infos, with event-time watermarks; invalid records on the side. */
    private record Inputs(SingleOutputStreamOperator<Trade> trades, SingleOutputStreamOperator<MarketInfo> infos) {
        DataStream<DeadLetter> deadLetters() {
            return trades.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
                    .union(infos.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
        }
    }

    private static Inputs inputs(StreamExecutionEnvironment env, MarketConfig config, CommonSettings common) {
        long maxFuture = common.maxFuture().toMillis();
        SourceSpec tradeSource = SourceSpec.kafka(config.tradesTopic());
        SingleOutputStreamOperator<Trade> trades = env
                .fromSource(
                        KafkaInputs.decoded(common.kafka(), common.groupId(), common.startingOffsets(),
                                config.tradesTopic(), MarketConfig.PIPELINE, new TradeJsonDecoder(maxFuture), Trade.class),
                        Watermarks.decodedAligned(Trade::timestamp, common.outOfOrderness(), common.idleTimeout(),
                                "market-trades", common.maxDrift()),
                        tradeSource.operatorName())
                .uid("source-trades")
                .process(new DeadLetterSplitter<>(Trade.class))
                .name("Route invalid trades")
                .uid("route-invalid-trades");
        SourceSpec infoSource = SourceSpec.kafka(config.infoTopic());
        SingleOutputStreamOperator<MarketInfo> infos = env
                .fromSource(
                        KafkaInputs.decoded(common.kafka(), common.groupId(), common.startingOffsets(),
                                config.infoTopic(), MarketConfig.PIPELINE, new MarketInfoJsonDecoder(maxFuture),
                                MarketInfo.class),
                        Watermarks.decoded(MarketInfo::timestamp, common.outOfOrderness(), config.infoIdleTimeout()),
                        infoSource.operatorName())
                .uid("source-info")
                .process(new DeadLetterSplitter<>(MarketInfo.class))
                .name("Route invalid info")
                .uid("route-invalid-info");
        return new Inputs(trades, infos);
    }

    private static void enrichedToTopic(DataStream<EnrichedTrade> enriched, MarketConfig config, CommonSettings common) {
        enriched.sinkTo(KafkaOutputs.keyed(common.kafka(), config.enrichedTopic(),
                        common.transactionalIdPrefix() + "-enriched",
                        t -> t.tradeId().getBytes(StandardCharsets.UTF_8), ResultJsonEncoder::enrichedTrade))
                .name(OperatorNames.kafkaSink(config.enrichedTopic()))
                .uid("sink-enriched-trades-topic");
    }

    private static void metricsToTopic(DataStream<SectorMetrics> metrics, MarketConfig config, CommonSettings common) {
        metrics.sinkTo(KafkaOutputs.keyed(common.kafka(), config.metricsTopic(),
                        common.transactionalIdPrefix() + "-metrics",
                        m -> ResultJsonEncoder.sectorWindowKey(m.windowStart(), m.sector()).getBytes(StandardCharsets.UTF_8),
                        ResultJsonEncoder::sectorMetrics))
                .name(OperatorNames.kafkaSink(config.metricsTopic()))
                .uid("sink-sector-metrics-topic");
    }

    private static void deadLettersToTopic(DataStream<DeadLetter> deadLetters, MarketConfig config, CommonSettings common,
            String uid) {
        deadLetters
                .sinkTo(KafkaOutputs.deadLetters(common.kafka(), config.dlqTopic(), common.transactionalIdPrefix()))
                .name(OperatorNames.kafkaSink(config.dlqTopic()))
                .uid(uid);
    }

    private static <T> void toTable(DataStream<T> rows, PostgresTable<T> table, MarketConfig config, String uid) {
        rows.sinkTo(new PostgresUpsertSink<>(config.postgres().connection(), table, config.postgres().sink(),
                        MarketConfig.PIPELINE))
                .name(OperatorNames.postgresSink(table.name()))
                .uid(uid);
    }

    /** Per sector, VWAP and volume per window, from the sector_metrics table. */
    @Override
    public List<ResultChart> resultCharts(MarketConfig config) {
        return List.of(ResultChart.lines("Sector VWAP per window", "price", "window_start", "sector", "vwap"),
                ResultChart.lines("Sector volume per window", "shares", "window_start", "sector", "total_volume"));
    }

    /** The newest rows of sector_metrics (early and final firings alike), oldest first; empty if it cannot be read. */
    @Override
    public List<Map<String, Object>> latestResults(MarketConfig config, int limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection db = config.postgres().connection().open();
                PreparedStatement st = db.prepareStatement("SELECT window_start, sector, vwap, total_volume, is_final FROM "
                        + MarketTables.SECTOR_METRICS.name() + " ORDER BY window_start DESC, sector LIMIT ?")) {
            st.setInt(1, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("window_start", rs.getTimestamp(1).getTime());
                    row.put("sector", rs.getString(2));
                    row.put("vwap", rs.getBigDecimal(3).doubleValue());
                    row.put("total_volume", rs.getLong(4));
                    row.put("is_final", rs.getBoolean(5));
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            // No table yet, or the database is restarting: nothing to chart right now.
            return List.of();
        }
        Collections.reverse(rows);
        return rows;
    }
}
