package io.millrace.gen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.KafkaConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The newest event time already in a topic. A new generator run continues from there: starting behind it
 * (after a run that appended closing events ahead of the clock) would make the new records late, and a
 * late trade is joined with whatever info has arrived rather than waiting for its own.
 */
public final class LatestEventTime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL = 20;

    private LatestEventTime() {}

    /** The newest event time in the last records of each partition, read by {@code eventTime} (Long.MIN_VALUE for an unreadable record). */
    public static OptionalLong latestEventTime(KafkaConnection kafka, String topic, ToLongFunction<byte[]> eventTime) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.properties(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return OptionalLong.empty();
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            long remaining = 0;
            for (TopicPartition tp : partitions) {
                long from = Math.max(begin.get(tp), end.get(tp) - TAIL);
                consumer.seek(tp, from);
                remaining += end.get(tp) - from;
            }
            long latest = Long.MIN_VALUE;
            long deadline = System.currentTimeMillis() + 10_000;
            while (remaining > 0 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    remaining--;
                    latest = Math.max(latest, eventTime.applyAsLong(r.value()));
                }
                if (partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    break;
                }
            }
            return latest == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(latest);
        }
    }

    private static long eventTime(byte[] value, String field) {
        try {
            JsonNode node = value == null ? null : JSON.readTree(value);
            return node != null && node.path(field).isIntegralNumber() ? node.path(field).asLong() : Long.MIN_VALUE;
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
