package io.millrace.sink;

import io.millrace.codec.DeadLetterJsonEncoder;
import io.millrace.config.KafkaConnection;
import io.millrace.model.DeadLetter;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Transactional Kafka sinks: records become visible to {@code read_committed} consumers only when the
 * checkpoint that covers them completes, so a crash never exposes or duplicates a result.
 */
public final class KafkaOutputs {

    /**
     * Below the broker's default {@code transaction.max.timeout.ms} (15 min), and far above any
     * checkpoint interval, so the broker never aborts a transaction the job is about to commit.
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    private KafkaOutputs() {}

    /**
     * @param transactionalIdPrefix stable per pipeline and sink: a restarted job must reuse it to abort
     *     the lingering transactions of its previous incarnation
     */
    public static <T> KafkaSink<T> exactlyOnce(KafkaConnection kafka, String transactionalIdPrefix,
            KafkaRecordSerializationSchema<T> serializer) {
        Properties client = new Properties();
        client.putAll(kafka.properties(Map.of()));
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(client)
                .setBootstrapServers(kafka.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(serializer)
                .setProperty("transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT.toMillis()))
                .setProperty("compression.type", "lz4")
                .setProperty("linger.ms", "20")
                .setProperty("batch.size", "262144")
                .build();
    }

    /** A transactional sink writing {@code key(record)} / {@code value(record)} to {@code topic}. */
    public static <T> KafkaSink<T> keyed(KafkaConnection kafka, String topic, String transactionalIdPrefix,
            RecordField<T> key, RecordField<T> value) {
        KafkaRecordSerializationSchema<T> serializer =
                (record, context, timestamp) -> new ProducerRecord<>(topic, null, null, key.of(record), value.of(record));
        return exactlyOnce(kafka, transactionalIdPrefix, serializer);
    }

    /** Extracts the bytes of a record's key or value. */
    @FunctionalInterface
    public interface RecordField<T> extends java.io.Serializable {
        byte[] of(T record);
    }

    /** Dead letters keep the original key; the value is the JSON of {@link DeadLetterJsonEncoder}. */
    public static KafkaSink<DeadLetter> deadLetters(KafkaConnection kafka, String topic, String transactionalIdPrefix) {
        KafkaRecordSerializationSchema<DeadLetter> serializer =
                (letter, context, timestamp) -> new ProducerRecord<>(topic, null, null, letter.key(),
                        DeadLetterJsonEncoder.encode(letter));
        return exactlyOnce(kafka, transactionalIdPrefix + "-dlq", serializer);
    }
}
