package io.millrace.pipeline;

import io.millrace.config.KafkaConnection;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratedRecord.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The latency probe of a tumbling-window pipeline whose results topic is keyed by window start: a sampled record's
 * result is visible once a read_committed consumer sees the result of its window or of a later one. Results leave
 * the window operator in window order (it runs at parallelism 1, its sink chained to it), so a later window's
 * committed result means the record's window was committed too (or had nothing to report).
 */
final class WindowResultProbe implements LatencyProbe {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final long windowMillis;
    private long latestWindowEnd = Long.MIN_VALUE;

    WindowResultProbe(KafkaConnection kafka, String topic, Duration windowSize) {
        this.topic = topic;
        this.windowMillis = windowSize.toMillis();
        this.consumer = new KafkaConsumer<>(kafka.properties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "millrace-latency-probe")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        // Only results committed from now on can be the results of records sampled from now on.
        consumer.seekToEnd(partitions);
    }

    /** The event time of an on-time record; other records are not followed. */
    @Override
    public Object resultKey(GeneratedRecord record) {
        return record.kind() == Kind.TRADE && record.target() == GeneratedRecord.Target.MAIN ? record.eventTime() : null;
    }

    @Override
    public Set<Object> visible(Collection<Object> pending) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            try {
                long start = Instant.parse(new String(r.key(), StandardCharsets.UTF_8)).toEpochMilli();
                latestWindowEnd = Math.max(latestWindowEnd, start + windowMillis);
            } catch (DateTimeParseException | NullPointerException e) {
                // Not a window result (a record someone else wrote to the topic): it says nothing.
            }
        }
        Set<Object> found = new HashSet<>();
        for (Object key : pending) {
            if ((Long) key < latestWindowEnd) {
                found.add(key);
            }
        }
        return found;
    }

    @Override
    public String describe() {
        return "the committed result of its window (or of a later one) in " + topic + ", read with read_committed";
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
