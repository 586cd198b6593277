package io.millrace.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.codec.EventTimes;
import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordDecoder;
import io.millrace.codec.RecordOrigin;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.CommonSettings;
import io.millrace.config.WindowAggregationConfig;
import io.millrace.config.WindowAggregationSettings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.job.JobSetup;
import io.millrace.model.DeadLetter;
import io.millrace.model.LateEvent;
import io.millrace.sink.KafkaOutputs;
import io.millrace.source.EventTime;
import io.millrace.source.KafkaInputs;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TopicReader;
import io.millrace.verify.VerifyResult;
import io.millrace.verify.WindowOracle;
import io.millrace.verify.WindowResultsVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The shape of a windowed aggregation from one Kafka topic to Kafka topics (orders, payments,
 * moving-averages): decoded input with per-partition watermarks, window results, late events and dead
 * letters each to a transactional topic, and an oracle of the window results. Subclasses add their decoder,
 * their topology and their oracle.
 */
public abstract class WindowAggregationDefinition<C extends WindowAggregationConfig> extends PipelineDefinition<C> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() {};

    /** Whether the results topic is compacted (results keyed by window: one record per window remains). */
    protected abstract boolean compactResults();

    /** Whether results are tumbling windows keyed by their start ({@link #windowKey}): then latency is measured. */
    protected boolean resultsKeyedByWindowStart() {
        return false;
    }

    /** Adds the sources, the pipeline and the sinks of {@code config} to {@code env}. */
    protected abstract void attach(StreamExecutionEnvironment env, C config);

    /** The oracle of this pipeline's window results. */
    protected abstract WindowOracle windowOracle(C config, long now);

    @Override
    public Set<Service> services() {
        return Set.of(Service.KAFKA);
    }

    @Override
    public List<PipelineJob> jobs(C config) {
        return List.of(new PipelineJob("millrace-" + name(), env -> {
            JobSetup.configure(env, config.common());
            attach(env, config);
        }));
    }

    /** Input (4 partitions), results (compacted when keyed by window), late and DLQ topics. */
    @Override
    public List<TopicSpec> topics(C config) {
        WindowAggregationSettings a = config.aggregation();
        return List.of(new TopicSpec(a.inputTopic(), 4, false), new TopicSpec(a.outputTopic(), 2, compactResults()),
                new TopicSpec(a.lateTopic(), 2, false), new TopicSpec(config.dlqTopic(), 2, false));
    }

    @Override
    public List<SourceSpec> sources(C config) {
        return List.of(SourceSpec.kafka(config.aggregation().inputTopic()));
    }

    /**
     * The newest committed records of the results topic, parsed, oldest first by the time field of the first chart:
     * the tail of each partition, so a reading costs the same however long the topic is.
     */
    @Override
    public List<Map<String, Object>> latestResults(C config, int limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (InputRecord r : TopicReader.last(config.kafka(), config.aggregation().outputTopic(), limit)) {
            try {
                rows.add(JSON.readValue(r.value(), ROW));
            } catch (IOException e) {
                // Not one of ours (someone wrote to the topic): not a result to chart.
            }
        }
        List<ResultChart> charts = resultCharts(config);
        if (!charts.isEmpty()) {
            String time = charts.get(0).timeField();
            // ISO-8601 instants of one format sort by time as text.
            rows.sort(Comparator.comparing(row -> String.valueOf(row.get(time))));
        }
        return rows.subList(Math.max(0, rows.size() - limit), rows.size());
    }

    @Override
    public List<SinkSpec> sinks(C config) {
        return List.of(new SinkSpec.KafkaTopic(config.aggregation().outputTopic(), SinkRole.RESULTS),
                new SinkSpec.KafkaTopic(config.aggregation().lateTopic(), SinkRole.LATE),
                new SinkSpec.KafkaTopic(config.dlqTopic(), SinkRole.DEAD_LETTERS));
    }

    /** Every result for windows ending before the results writer's watermark has been written. */
    @Override
    public Finality finality(C config) {
        return new Finality.WriterWatermark(sinks(config).get(0).writerOperator());
    }

    @Override
    public Optional<LatencyProbe> latencyProbe(C config) {
        return resultsKeyedByWindowStart()
                ? Optional.of(new WindowResultProbe(config.common().kafka(), config.aggregation().outputTopic(),
                        config.common().windowSize()))
                : Optional.empty();
    }

    @Override
    public String mainTopic(C config) {
        return config.aggregation().inputTopic();
    }

    @Override
    public WindowOracle oracle(C config, List<InputRecord> reference, long now) {
        return windowOracle(config, now);
    }

    @Override
    public VerifyResult verify(C config, Duration wait, PrintWriter out) throws Exception {
        return WindowResultsVerifier.verify(config, windowOracle(config, System.currentTimeMillis()), wait, out);
    }

    /** Past the bound and one window, so the watermark closes every window before the closing events. */
    @Override
    public Duration closingOffset(C config) {
        CommonSettings c = config.common();
        return c.outOfOrderness().plus(c.windowSize()).plus(Duration.ofSeconds(1));
    }

    @Override
    public Duration lateBy(C config) {
        CommonSettings c = config.common();
        return c.windowSize().plus(c.allowedLateness()).plus(c.outOfOrderness()).plus(Duration.ofMinutes(1));
    }

    @Override
    public long drainTarget(C config, long maxEventTime) {
        return maxEventTime + config.common().windowSize().toMillis();
    }

    /** The event time as the pipeline's own decoder reads it, or Long.MIN_VALUE if the record is invalid. */
    protected static <T> long decodedTime(RecordDecoder<T> decoder, EventTime<T> time, byte[] value) {
        try {
            return time.of(decoder.decode(value, new RecordOrigin("", 0, 0)));
        } catch (InvalidRecordException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * The input topic, decoded, with per-partition watermarks (bounded out-of-orderness, idleness,
     * alignment); invalid records are on the {@link DeadLetterSplitter#DEAD_LETTERS} side output.
     */
    protected static <T> SingleOutputStreamOperator<T> kafkaInput(StreamExecutionEnvironment env,
            WindowAggregationConfig config, RecordDecoder<T> decoder, Class<T> type, EventTime<T> eventTime) {
        CommonSettings c = config.common();
        SourceSpec source = SourceSpec.kafka(config.aggregation().inputTopic());
        return env.fromSource(
                        KafkaInputs.decoded(c.kafka(), c.groupId(), c.startingOffsets(), source.name(), c.pipeline(),
                                decoder, type),
                        Watermarks.decodedAligned(eventTime, c.outOfOrderness(), c.idleTimeout(), c.pipeline() + "-input",
                                c.maxDrift()),
                        source.operatorName())
                .uid("source-input")
                .process(new DeadLetterSplitter<>(type))
                .name("Route invalid records")
                .uid("route-invalid");
    }

    /** Results, late events and dead letters to their topics, each through a transactional sink. */
    protected <R> void attachOutputs(C config, WindowedResults<R> results, KafkaOutputs.RecordField<R> key,
            KafkaOutputs.RecordField<R> value, DataStream<DeadLetter> deadLetters) {
        CommonSettings c = config.common();
        List<SinkSpec> sinks = sinks(config);
        SinkSpec output = sinks.get(0);
        SinkSpec late = sinks.get(1);
        SinkSpec dlq = sinks.get(2);
        // Same parallelism as the window operator: the sink stays chained to it, so successive results of one
        // window go through one transaction sequence and a reader never sees an older result after a newer one.
        results.results()
                .sinkTo(KafkaOutputs.keyed(c.kafka(), output.name(), c.transactionalIdPrefix() + "-results", key, value))
                .setParallelism(results.results().getParallelism())
                .name(output.operatorName())
                .uid("sink-results");
        results.late()
                .sinkTo(KafkaOutputs.keyed(c.kafka(), late.name(), c.transactionalIdPrefix() + "-late",
                        (LateEvent e) -> e.id().getBytes(StandardCharsets.UTF_8), WindowJsonEncoder::lateEvent))
                .name(late.operatorName())
                .uid("sink-late");
        deadLetters
                .sinkTo(KafkaOutputs.deadLetters(c.kafka(), dlq.name(), c.transactionalIdPrefix()))
                .name(dlq.operatorName())
                .uid("sink-dlq");
    }

    /** Window start as an ISO-8601 key: one record per window in a compacted topic. */
    public static byte[] windowKey(long windowStart) {
        return EventTimes.iso(windowStart).getBytes(StandardCharsets.UTF_8);
    }
}
