package io.millrace.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its beginning to the end offsets seen when reading starts, committed records only,
 * without joining a consumer group. Records come back ordered by partition, then offset.
 */
public final class TopicReader {

    private TopicReader() {}

    public static List<InputRecord> readAll(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-verify");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (end.get(tp) > consumer.position(tp, Duration.ofSeconds(30))) {
                    remaining.put(tp, end.get(tp));
                }
            }
            List<InputRecord> records = new ArrayList<>();
            long idleSince = System.currentTimeMillis();
            while (!remaining.isEmpty()) {
                boolean any = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    any = true;
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long stop = remaining.get(tp);
                    if (stop != null && r.offset() < stop) {
                        records.add(new InputRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                    }
                }
                // Transaction markers and aborted records occupy offsets but are never returned: go by position.
                for (TopicPartition tp : List.copyOf(remaining.keySet())) {
                    if (consumer.position(tp) >= remaining.get(tp)) {
                        remaining.remove(tp);
                    }
                }
                if (any) {
                    idleSince = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - idleSince > 60_000) {
                    throw new IllegalStateException("reading " + topic + " stalled before its end offsets " + remaining
                            + " (an open transaction holding read_committed back?)");
                }
            }
            records.sort(Comparator.comparingInt(InputRecord::partition).thenComparingLong(InputRecord::offset));
            return records;
        }
    }
}
