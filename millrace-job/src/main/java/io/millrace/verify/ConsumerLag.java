package io.millrace.verify;

import io.millrace.config.KafkaConnection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a pipeline's consumer group is behind its input topics. Flink commits offsets only when a
 * checkpoint completes, after every sink flushed, so zero lag means all input has reached the sinks.
 */
public final class ConsumerLag {

    private ConsumerLag() {}

    public static long lag(Admin admin, String groupId, List<String> topics) throws ExecutionException, InterruptedException {
        return lagBehind(admin, groupId, endOffsets(admin, topics));
    }

    /** The end offset of every partition of {@code topics} now. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
            description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
                    OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /**
     * Records up to {@code ends} the group has not committed: the lag behind input that was there at some
     * moment, which reaches zero even while a source keeps adding records (heartbeats of a change capture).
     */
    public static long lagBehind(Admin admin, String groupId, Map<TopicPartition, Long> ends)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    /**
     * Polls until the group has committed everything the topics held when called, or {@code wait} passes;
     * returns the last lag seen behind that.
     */
    public static long waitUntilCaughtUp(KafkaConnection kafka, String groupId, List<String> topics, Duration wait,
            PrintWriter out) {
        try (Admin admin = kafka.admin()) {
            long deadline = System.nanoTime() + wait.toNanos();
            boolean announced = false;
            Map<TopicPartition, Long> ends = endOffsets(admin, topics);
            while (true) {
                long lag = lagBehind(admin, groupId, ends);
                if (lag == 0 || System.nanoTime() >= deadline) {
                    if (announced) {
                        out.println();
                    }
                    return lag;
                }
                out.printf("\rwaiting for the pipeline (group %s) to catch up on %s: %,d records behind   ", groupId,
                        topics.stream().collect(Collectors.joining(", ")), lag);
                out.flush();
                announced = true;
                Thread.sleep(1000);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read offsets from Kafka at " + kafka.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
