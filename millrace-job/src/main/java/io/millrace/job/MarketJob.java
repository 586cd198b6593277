package io.millrace.job;

import io.millrace.codec.MarketInfoJsonDecoder;
import io.millrace.codec.ResultJsonEncoder;
import io.millrace.codec.TradeJsonDecoder;
import io.millrace.config.MarketConfig;
import io.millrace.model.DeadLetter;
import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.pipeline.MarketPipeline;
import io.millrace.pipeline.MarketResults;
import io.millrace.sink.EnrichedTradesTable;
import io.millrace.sink.KafkaOutputs;
import io.millrace.sink.LateTradesTable;
import io.millrace.sink.PostgresUpsertSink;
import io.millrace.sink.SectorMetricsTable;
import io.millrace.source.KafkaInputs;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code market} job: {@code stock-trades} and {@code stock-info} (Kafka, JSON) through
 * {@link MarketPipeline} into PostgreSQL {@code enriched_trades}, {@code sector_metrics} and
 * {@code late_trades}; invalid records to the {@code market.dlq} topic. Options: {@link MarketConfig}.
 *
 * <p>On a cluster: {@code flink run -c io.millrace.job.MarketJob millrace-job-*-flink-job.jar --set key=value}.
 */
public final class MarketJob {

    public static final String NAME = "millrace-market";

    private MarketJob() {}

    public static void main(String[] args) throws Exception {
        MarketConfig config = MarketConfig.from(JobArguments.settings(args, MarketConfig.keys()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config.parallelism(), config.checkpointInterval(), config.checkpointDir(), config.stateBackend());
        TopicAdmin.ensure(config.kafka(), topics(config));
        attach(env, config);
        env.execute(NAME);
    }

    /** Input topics as the generator creates them; the DLQ too. */
    public static List<TopicSpec> topics(MarketConfig config) {
        List<TopicSpec> topics = new ArrayList<>(List.of(
                new TopicSpec(config.tradesTopic(), 4, false),
                new TopicSpec(config.infoTopic(), 2, true),
                new TopicSpec(config.dlqTopic(), 2, false)));
        if (config.kafkaOutput()) {
            topics.add(new TopicSpec(config.enrichedTopic(), 4, false));
            // Not compacted: every firing of a window stays readable, so a duplicate would be visible.
            topics.add(new TopicSpec(config.metricsTopic(), 2, false));
        }
        return topics;
    }

    /** Adds sources, the pipeline and sinks to {@code env}. */
    public static void attach(StreamExecutionEnvironment env, MarketConfig config) {
        long maxFuture = config.maxFuture().toMillis();
        SingleOutputStreamOperator<Trade> trades = env
                .fromSource(
                        KafkaInputs.decoded(config.kafka(), config.groupId(), config.startingOffsets(),
                                config.tradesTopic(), MarketConfig.PIPELINE, new TradeJsonDecoder(maxFuture), Trade.class),
                        Watermarks.decodedAligned(Trade::timestamp, config.outOfOrderness(), config.sourceIdleTimeout(),
                                "market-trades", config.maxDrift()),
                        "Kafka " + config.tradesTopic())
                .uid("source-trades")
                .process(new DeadLetterSplitter<>(Trade.class))
                .name("Route invalid trades")
                .uid("route-invalid-trades");
        SingleOutputStreamOperator<MarketInfo> infos = env
                .fromSource(
                        KafkaInputs.decoded(config.kafka(), config.groupId(), config.startingOffsets(),
                                config.infoTopic(), MarketConfig.PIPELINE, new MarketInfoJsonDecoder(maxFuture),
                                MarketInfo.class),
                        Watermarks.decoded(MarketInfo::timestamp, config.outOfOrderness(), config.infoIdleTimeout()),
                        "Kafka " + config.infoTopic())
                .uid("source-info")
                .process(new DeadLetterSplitter<>(MarketInfo.class))
                .name("Route invalid info")
                .uid("route-invalid-info");

        MarketResults results = MarketPipeline.build(trades, infos, config);

        results.enriched()
                .sinkTo(new PostgresUpsertSink<>(config.postgres(), new EnrichedTradesTable(), config.sink(),
                        MarketConfig.PIPELINE))
                .name("PostgreSQL " + EnrichedTradesTable.NAME)
                .uid("sink-enriched-trades");
        results.sectorMetrics()
                .sinkTo(new PostgresUpsertSink<>(config.postgres(), new SectorMetricsTable(), config.sink(),
                        MarketConfig.PIPELINE))
                .name("PostgreSQL " + SectorMetricsTable.NAME)
                .uid("sink-sector-metrics");
        results.lateTrades()
                .sinkTo(new PostgresUpsertSink<>(config.postgres(), new LateTradesTable(), config.sink(),
                        MarketConfig.PIPELINE))
                .name("PostgreSQL " + LateTradesTable.NAME)
                .uid("sink-late-trades");
        if (config.kafkaOutput()) {
            results.enriched()
                    .sinkTo(KafkaOutputs.keyed(config.kafka(), config.enrichedTopic(), config.transactionalIdPrefix() + "-enriched",
                            t -> t.tradeId().getBytes(StandardCharsets.UTF_8), ResultJsonEncoder::enrichedTrade))
                    .name("Kafka " + config.enrichedTopic())
                    .uid("sink-enriched-trades-topic");
            results.sectorMetrics()
                    .sinkTo(KafkaOutputs.keyed(config.kafka(), config.metricsTopic(), config.transactionalIdPrefix() + "-metrics",
                            m -> ResultJsonEncoder.sectorWindowKey(m.windowStart(), m.sector()).getBytes(StandardCharsets.UTF_8),
                            ResultJsonEncoder::sectorMetrics))
                    .name("Kafka " + config.metricsTopic())
                    .uid("sink-sector-metrics-topic");
        }
        DataStream<DeadLetter> deadLetters = trades.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
                .union(infos.getSideOutput(DeadLetterSplitter.DEAD_LETTERS));
        deadLetters
                .sinkTo(KafkaOutputs.deadLetters(config.kafka(), config.dlqTopic(), config.transactionalIdPrefix()))
                .name("Kafka " + config.dlqTopic())
                .uid("sink-dlq");
    }

}
