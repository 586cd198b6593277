package io.millrace.cli;

import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.OrderJsonDecoder;
import io.millrace.codec.RecordDecoder;
import io.millrace.codec.RecordOrigin;
import io.millrace.codec.StockTickDecoder;
import io.millrace.codec.TransactionJsonDecoder;
import io.millrace.config.ConfigKey;
import io.millrace.config.MovingAveragesConfig;
import io.millrace.config.OrdersConfig;
import io.millrace.config.PaymentsConfig;
import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.config.StreamPipelineConfig;
import io.millrace.config.StreamSettings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.OrderEventGenerator;
import io.millrace.gen.PaymentEventGenerator;
import io.millrace.gen.StockEventGenerator;
import io.millrace.gen.StreamGeneratorOptions;
import io.millrace.job.JobSetup;
import io.millrace.job.MovingAveragesJob;
import io.millrace.job.OrdersJob;
import io.millrace.job.PaymentsJob;
import io.millrace.model.Order;
import io.millrace.model.StockTick;
import io.millrace.model.Transaction;
import io.millrace.source.TopicSpec;
import io.millrace.verify.MovingAveragesOracle;
import io.millrace.verify.OrdersOracle;
import io.millrace.verify.PaymentsOracle;
import io.millrace.verify.StreamVerifier;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The Kafka-to-Kafka pipelines in the CLI. */
final class StreamPipelineDefinitions {

    private StreamPipelineDefinitions() {}

    /** What the three have in common: outputs, closing and results watermark. */
    abstract static class StreamPipeline extends Pipeline {

        static StreamSettings stream(PipelineConfig config) {
            return ((StreamPipelineConfig) config).stream();
        }

        @Override
        String describeOutputs(PipelineConfig config) {
            StreamSettings s = stream(config);
            return "Kafka " + s.outputTopic() + ", " + s.lateTopic() + ", " + s.dlqTopic() + " (all exactly once)";
        }

        @Override
        String mainTopic(PipelineConfig config) {
            return stream(config).inputTopic();
        }

        /** Past the bound and one window, so the watermark closes every window before the closing events. */
        @Override
        Duration closingOffset(PipelineConfig config) {
            StreamSettings s = stream(config);
            return s.outOfOrderness().plus(s.windowSize()).plus(Duration.ofSeconds(1));
        }

        @Override
        Duration lateBy(PipelineConfig config) {
            StreamSettings s = stream(config);
            return s.windowSize().plus(s.allowedLateness()).plus(s.outOfOrderness()).plus(Duration.ofMinutes(1));
        }

        /** The watermark at the results sink: every result for windows ending before it has been written. */
        @Override
        long resultsWatermark(PipelineConfig config, FlinkRest rest, String jobId) {
            return rest.inputWatermark(jobId, "Kafka " + stream(config).outputTopic() + ": Writer");
        }

        @Override
        long drainTarget(PipelineConfig config, long maxEventTime) {
            return maxEventTime + stream(config).windowSize().toMillis();
        }

        /** The event time as the pipeline's own decoder reads it (any validation failure: none). */
        static <T> long decodedTime(RecordDecoder<T> decoder, ToLongFunction<T> time, byte[] value) {
            try {
                return time.applyAsLong(decoder.decode(value, new RecordOrigin("", 0, 0)));
            } catch (InvalidRecordException e) {
                return Long.MIN_VALUE;
            }
        }

        void configure(StreamExecutionEnvironment env, PipelineConfig c) {
            JobSetup.configure(env, c.parallelism(), c.checkpointInterval(), c.checkpointDir(), c.stateBackend());
        }
    }

    /** {@code orders} (SPEC 2.2). */
    static final class Orders extends StreamPipeline {
        @Override
        String name() {
            return OrdersConfig.PIPELINE;
        }

        @Override
        List<ConfigKey<?>> keys() {
            return OrdersConfig.keys();
        }

        @Override
        PipelineConfig config(Settings settings) {
            return OrdersConfig.from(settings);
        }

        @Override
        String jobName() {
            return OrdersJob.NAME;
        }

        @Override
        List<TopicSpec> topics(PipelineConfig config) {
            return OrdersJob.topics((OrdersConfig) config);
        }

        @Override
        void attach(StreamExecutionEnvironment env, PipelineConfig config) {
            configure(env, config);
            OrdersJob.attach(env, (OrdersConfig) config);
        }

        @Override
        VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception {
            OrdersConfig c = (OrdersConfig) config;
            StreamSettings s = c.stream();
            return StreamVerifier.verify(s, c.inputTopics(), new OrdersOracle(s.windowSize().toMillis(),
                    s.allowedLateness().toMillis(), s.outOfOrderness().toMillis(), s.maxFuture().toMillis(),
                    OrdersConfig.APPROX.equals(c.distinct()), System.currentTimeMillis()), wait, out);
        }

        @Override
        String generatorName() {
            return "orders";
        }

        @Override
        long eventTime(PipelineConfig config, byte[] value) {
            return decodedTime(new OrderJsonDecoder(Long.MAX_VALUE / 4), Order::createdAt, value);
        }

        @Override
        EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options) {
            return new OrderEventGenerator(options, 1000);
        }
    }

    /** {@code payments} (SPEC 2.3). */
    static final class Payments extends StreamPipeline {
        @Override
        String name() {
            return PaymentsConfig.PIPELINE;
        }

        @Override
        List<ConfigKey<?>> keys() {
            return PaymentsConfig.keys();
        }

        @Override
        PipelineConfig config(Settings settings) {
            return PaymentsConfig.from(settings);
        }

        @Override
        String jobName() {
            return PaymentsJob.NAME;
        }

        @Override
        List<TopicSpec> topics(PipelineConfig config) {
            return PaymentsJob.topics((PaymentsConfig) config);
        }

        @Override
        void attach(StreamExecutionEnvironment env, PipelineConfig config) {
            configure(env, config);
            PaymentsJob.attach(env, (PaymentsConfig) config);
        }

        @Override
        VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception {
            PaymentsConfig c = (PaymentsConfig) config;
            StreamSettings s = c.stream();
            return StreamVerifier.verify(s, c.inputTopics(), new PaymentsOracle(s.windowSize().toMillis(),
                    s.allowedLateness().toMillis(), s.outOfOrderness().toMillis(), s.maxFuture().toMillis(),
                    c.timestampZone(), System.currentTimeMillis()), wait, out);
        }

        @Override
        String generatorName() {
            return "payments";
        }

        @Override
        long eventTime(PipelineConfig config, byte[] value) {
            return decodedTime(new TransactionJsonDecoder(((PaymentsConfig) config).timestampZone(), Long.MAX_VALUE / 4),
                    Transaction::eventTime, value);
        }

        @Override
        EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options) {
            return new PaymentEventGenerator(options, ((PaymentsConfig) config).timestampZone());
        }
    }

    /** {@code moving-averages} (SPEC 2.5). */
    static final class MovingAverages extends StreamPipeline {
        @Override
        String name() {
            return MovingAveragesConfig.PIPELINE;
        }

        @Override
        List<ConfigKey<?>> keys() {
            return MovingAveragesConfig.keys();
        }

        @Override
        PipelineConfig config(Settings settings) {
            return MovingAveragesConfig.from(settings);
        }

        @Override
        String jobName() {
            return MovingAveragesJob.NAME;
        }

        @Override
        List<TopicSpec> topics(PipelineConfig config) {
            return MovingAveragesJob.topics((MovingAveragesConfig) config);
        }

        @Override
        void attach(StreamExecutionEnvironment env, PipelineConfig config) {
            configure(env, config);
            MovingAveragesJob.attach(env, (MovingAveragesConfig) config);
        }

        @Override
        VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception {
            MovingAveragesConfig c = (MovingAveragesConfig) config;
            if (!c.kafkaSource()) {
                throw new UserError("verify recomputes from the input topic; with source " + c.source()
                        + " there is none to read (verify runs with the Kafka source)");
            }
            StreamSettings s = c.stream();
            return StreamVerifier.verify(s, c.inputTopics(), new MovingAveragesOracle(s.windowSize().toMillis(),
                    c.slide().toMillis(), s.allowedLateness().toMillis(), s.outOfOrderness().toMillis(),
                    s.maxFuture().toMillis(), MovingAveragesConfig.APPEND.equals(c.mode()), System.currentTimeMillis()),
                    wait, out);
        }

        @Override
        String generatorName() {
            return "stocks";
        }

        @Override
        long eventTime(PipelineConfig config, byte[] value) {
            return decodedTime(new StockTickDecoder(Long.MAX_VALUE / 4), StockTick::timestamp, value);
        }

        @Override
        EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options) {
            return new StockEventGenerator(options, 10, false, "Australia/Sydney");
        }
    }
}
