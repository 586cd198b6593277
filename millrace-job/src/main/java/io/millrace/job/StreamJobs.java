package io.millrace.job;

import io.millrace.codec.RecordDecoder;
import io.millrace.codec.StreamJsonEncoder;
import io.millrace.config.StreamSettings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.model.DeadLetter;
import io.millrace.model.LateEvent;
import io.millrace.pipeline.WindowedResults;
import io.millrace.sink.KafkaOutputs;
import io.millrace.source.EventTime;
import io.millrace.source.KafkaInputs;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Sources and sinks shared by the Kafka-to-Kafka jobs, so each job class only names its own parts. */
public final class StreamJobs {

    private StreamJobs() {}

    /**
     * The input topic, decoded, with per-partition watermarks (bounded out-of-orderness, idleness,
     * alignment); invalid records are on the {@link DeadLetterSplitter#DEAD_LETTERS} side output.
     */
    public static <T> SingleOutputStreamOperator<T> kafkaInput(StreamExecutionEnvironment env, StreamSettings s,
            RecordDecoder<T> decoder, Class<T> type, EventTime<T> eventTime) {
        return env.fromSource(
                        KafkaInputs.decoded(s.kafka(), s.groupId(), s.startingOffsets(), s.inputTopic(), s.pipeline(),
                                decoder, type),
                        Watermarks.decodedAligned(eventTime, s.outOfOrderness(), s.idleTimeout(), s.pipeline() + "-input",
                                s.maxDrift()),
                        "Kafka " + s.inputTopic())
                .uid("source-input")
                .process(new DeadLetterSplitter<>(type))
                .name("Route invalid records")
                .uid("route-invalid");
    }

    /** Results, late events and dead letters to their topics, each through a transactional sink. */
    public static <R> void attachOutputs(StreamSettings s, WindowedResults<R> results, KafkaOutputs.RecordField<R> key,
            KafkaOutputs.RecordField<R> value, DataStream<DeadLetter> deadLetters) {
        // Same parallelism as the window operator: the sink stays chained to it, so successive results of one
        // window go through one transaction sequence and a reader never sees an older result after a newer one.
        results.results()
                .sinkTo(KafkaOutputs.keyed(s.kafka(), s.outputTopic(), s.transactionalIdPrefix() + "-results", key, value))
                .setParallelism(results.results().getParallelism())
                .name("Kafka " + s.outputTopic())
                .uid("sink-results");
        results.late()
                .sinkTo(KafkaOutputs.keyed(s.kafka(), s.lateTopic(), s.transactionalIdPrefix() + "-late",
                        (LateEvent e) -> e.id().getBytes(StandardCharsets.UTF_8), StreamJsonEncoder::lateEvent))
                .name("Kafka " + s.lateTopic())
                .uid("sink-late");
        deadLetters
                .sinkTo(KafkaOutputs.deadLetters(s.kafka(), s.dlqTopic(), s.transactionalIdPrefix()))
                .name("Kafka " + s.dlqTopic())
                .uid("sink-dlq");
    }

    /** Input (4 partitions), output (compacted when keyed by window), late and DLQ topics. */
    public static List<TopicSpec> topics(StreamSettings s, boolean compactOutput) {
        return List.of(new TopicSpec(s.inputTopic(), 4, false), new TopicSpec(s.outputTopic(), 2, compactOutput),
                new TopicSpec(s.lateTopic(), 2, false), new TopicSpec(s.dlqTopic(), 2, false));
    }

    /** Window start as an ISO-8601 key: one record per window in a compacted topic. */
    public static byte[] windowKey(long windowStart) {
        return io.millrace.codec.EventTimes.iso(windowStart).getBytes(StandardCharsets.UTF_8);
    }
}
