package io.millrace.verify;

import io.millrace.config.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** Every committed record of {@code topic}, partition by partition, in offset order, without holding them. */
    public static long forEach(KafkaConnection kafka, String topic, java.util.function.Consumer<InputRecord> action) {
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null) {
                return 0;
            }
            for (PartitionInfo info : infos.stream().sorted(Comparator.comparingInt(PartitionInfo::partition)).toList()) {
                TopicPartition tp = new TopicPartition(topic, info.partition());
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
                long idleSince = System.currentTimeMillis();
                while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        any = true;
                        if (r.offset() < end) {
                            action.accept(new InputRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                            count++;
                        }
                    }
                    if (any) {
                        idleSince = System.currentTimeMillis();
                    } else if (System.currentTimeMillis() - idleSince > 60_000) {
                        throw new IllegalStateException("reading " + tp + " stalled before offset " + end
                                + " (an open transaction holding read_committed back?)");
                    }
                }
            }
        }
        return count;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaConnection kafka) {
        Properties props = new Properties();
        props.putAll(kafka.properties(Map.of()));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "millrace-verify");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The last {@code perPartition} committed records of each partition of {@code topic}, partition by partition. */
    public static List<InputRecord> last(KafkaConnection kafka, String topic, int perPartition) {
        List<InputRecord> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null) {
                return records;
            }
            for (PartitionInfo info : infos.stream().sorted(Comparator.comparingInt(PartitionInfo::partition)).toList()) {
                TopicPartition tp = new TopicPartition(topic, info.partition());
                consumer.assign(List.of(tp));
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
                long begin = consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
                consumer.seek(tp, Math.max(begin, end - perPartition));
                long deadline = System.currentTimeMillis() + 10_000;
                while (consumer.position(tp, Duration.ofSeconds(10)) < end && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() < end) {
                            records.add(new InputRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
                        }
                    }
                }
            }
        }
        return records;
    }

    /** True if the topic exists and holds at least one record. */
    public static boolean hasRecords(KafkaConnection kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            return partitions.stream().anyMatch(tp -> end.get(tp) > begin.get(tp));
        } catch (org.apache.kafka.common.KafkaException e) {
            return false;
        }
    }

    /** Every committed record of {@code topic}, by partition then offset (for small topics). */
    public static List<InputRecord> readAll(KafkaConnection kafka, String topic) {
        List<InputRecord> records = new ArrayList<>();
        forEach(kafka, topic, records::add);
        return records;
    }
}
