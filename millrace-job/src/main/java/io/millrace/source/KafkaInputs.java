package io.millrace.source;

import io.millrace.codec.RecordDecoder;
import io.millrace.config.KafkaConnection;
import io.millrace.model.DeadLetter;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources of decoded records, configured the same way for every pipeline. */
public final class KafkaInputs {

    private KafkaInputs() {}

    /**
     * A source that resumes from the group's committed offsets (or the earliest ones on first start); on
     * a restore from a checkpoint the offsets in the checkpoint win. Only committed transactional data is
     * read, so an upstream exactly-once producer's aborted writes never enter the pipeline.
     */
    public static <T> KafkaSource<Either<DeadLetter, T>> decoded(KafkaConnection kafka, String groupId,
            String startingOffsets, String topic, String pipeline, RecordDecoder<T> decoder, Class<T> eventClass) {
        return KafkaSource.<Either<DeadLetter, T>>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setGroupId(groupId)
                .setClientIdPrefix(groupId + "-" + topic)
                .setTopics(topic)
                .setStartingOffsets(startingOffsets(startingOffsets))
                .setDeserializer(new DecodingDeserializer<>(pipeline, decoder, eventClass))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    private static OffsetsInitializer startingOffsets(String choice) {
        return switch (choice) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
