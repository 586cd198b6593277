package io.millrace.source;

import io.millrace.codec.RecordDecoder;
import io.millrace.config.KafkaConnection;
import io.millrace.config.StartingOffsets;
import io.millrace.model.DeadLetter;
import java.util.Map;
import java.util.Properties;
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
            StartingOffsets startingOffsets, String topic, String pipeline, RecordDecoder<T> decoder, Class<T> eventClass) {
        Properties client = new Properties();
        client.putAll(kafka.properties(Map.of()));
        return KafkaSource.<Either<DeadLetter, T>>builder()
                .setProperties(client)
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

    private static OffsetsInitializer startingOffsets(StartingOffsets choice) {
        return switch (choice) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
