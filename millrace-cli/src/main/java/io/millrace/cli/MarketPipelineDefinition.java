package io.millrace.cli;

import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordOrigin;
import io.millrace.codec.TradeJsonDecoder;
import io.millrace.config.ConfigKey;
import io.millrace.config.MarketConfig;
import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.gen.StreamGeneratorOptions;
import io.millrace.job.JobSetup;
import io.millrace.job.MarketJob;
import io.millrace.sink.EnrichedTradesTable;
import io.millrace.sink.LateTradesTable;
import io.millrace.sink.SectorMetricsTable;
import io.millrace.source.TopicSpec;
import io.millrace.verify.Horizons;
import io.millrace.verify.MarketVerifier;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The {@code market} pipeline in the CLI. */
final class MarketPipelineDefinition extends Pipeline {

    @Override
    String name() {
        return MarketConfig.PIPELINE;
    }

    @Override
    List<ConfigKey<?>> keys() {
        return MarketConfig.keys();
    }

    @Override
    PipelineConfig config(Settings settings) {
        return MarketConfig.from(settings);
    }

    @Override
    String jobName() {
        return MarketJob.NAME;
    }

    @Override
    List<TopicSpec> topics(PipelineConfig config) {
        return MarketJob.topics((MarketConfig) config);
    }

    @Override
    void attach(StreamExecutionEnvironment env, PipelineConfig config) {
        MarketConfig c = (MarketConfig) config;
        JobSetup.configure(env, c.parallelism(), c.checkpointInterval(), c.checkpointDir(), c.stateBackend());
        MarketJob.attach(env, c);
    }

    @Override
    VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception {
        return MarketVerifier.verify((MarketConfig) config, wait, out);
    }

    @Override
    String describeOutputs(PipelineConfig config) {
        MarketConfig c = (MarketConfig) config;
        return "PostgreSQL enriched_trades, sector_metrics, late_trades; Kafka " + c.dlqTopic()
                + (c.kafkaOutput() ? ", " + c.enrichedTopic() + ", " + c.metricsTopic() : "");
    }

    @Override
    boolean usesPostgres() {
        return true;
    }

    @Override
    List<String> tables() {
        return List.of(EnrichedTradesTable.NAME, SectorMetricsTable.NAME, LateTradesTable.NAME);
    }

    @Override
    String generatorName() {
        return "market";
    }

    @Override
    String mainTopic(PipelineConfig config) {
        return ((MarketConfig) config).tradesTopic();
    }

    @Override
    String referenceTopic(PipelineConfig config) {
        return ((MarketConfig) config).infoTopic();
    }

    @Override
    EventGenerator generator(PipelineConfig config, StreamGeneratorOptions o) {
        return new MarketEventGenerator(new MarketGeneratorOptions(o.seed(), 8, o.rate(), o.startTime(),
                o.outOfOrderFraction(), o.maxDelay(), o.lateFraction(), o.lateBy(), o.badFraction(), o.badFraction(),
                Duration.ofSeconds(5)));
    }

    @Override
    Duration closingOffset(PipelineConfig config) {
        return MarketEventGenerator.closingOffset((MarketConfig) config);
    }

    @Override
    Duration lateBy(PipelineConfig config) {
        MarketConfig c = (MarketConfig) config;
        return c.windowSize().plus(c.allowedLateness()).plus(c.outOfOrderness()).plus(Duration.ofMinutes(1));
    }

    @Override
    long eventTime(PipelineConfig config, byte[] value) {
        try {
            return new TradeJsonDecoder(Long.MAX_VALUE / 4).decode(value, new RecordOrigin("", 0, 0)).timestamp();
        } catch (InvalidRecordException e) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    long drainTarget(PipelineConfig config, long maxEventTime) {
        MarketConfig c = (MarketConfig) config;
        return maxEventTime + c.maxWait().toMillis() + c.windowSize().toMillis();
    }

    /** The lower of the two metric sinks' progress watermarks (both must be final). */
    @Override
    long resultsWatermark(PipelineConfig config, FlinkRest rest, String jobId) {
        try (Connection db = ((MarketConfig) config).postgres().open()) {
            Map<String, Long> h = Horizons.read(db, MarketConfig.PIPELINE);
            return Math.min(h.getOrDefault("enriched_trades", Long.MIN_VALUE), h.getOrDefault("sector_metrics", Long.MIN_VALUE));
        } catch (SQLException e) {
            return Long.MIN_VALUE;
        }
    }
}
