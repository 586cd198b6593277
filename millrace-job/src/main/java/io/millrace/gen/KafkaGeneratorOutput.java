package io.millrace.gen;

import io.millrace.config.KafkaConnection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes generated records to the pipeline's input topics (main records, and reference records to their own
 * topic) with idempotent, batched, compressed sends.
 */
public final class KafkaGeneratorOutput implements GeneratorOutput {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String mainTopic;
    private final String referenceTopic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param referenceTopic where reference records go, or null when the pipeline has none */
    public KafkaGeneratorOutput(KafkaConnection kafka, String mainTopic, String referenceTopic) {
        this.mainTopic = mainTopic;
        this.referenceTopic = referenceTopic;
        this.producer = new KafkaProducer<>(kafka.properties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "10",
                ProducerConfig.BATCH_SIZE_CONFIG, "524288",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20),
                ProducerConfig.CLIENT_ID_CONFIG, "millrace-generator")),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public String mainTarget() {
        return mainTopic;
    }

    @Override
    public String referenceTarget() {
        return referenceTopic;
    }

    @Override
    public void send(GeneratedRecord record) {
        String topic = record.target() == GeneratedRecord.Target.MAIN || referenceTopic == null ? mainTopic : referenceTopic;
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka rejected a generated record: " + error.getMessage(), error);
        }
        producer.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value()), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /**
     * Reports the timestamp the broker stored with the record (RecordMetadata.timestamp()): with the topics'
     * CreateTime that is the moment the producer took the record, before batching (linger.ms) and the append.
     */
    @Override
    public void send(GeneratedRecord record, LongConsumer appended) {
        String topic = record.target() == GeneratedRecord.Target.MAIN || referenceTopic == null ? mainTopic : referenceTopic;
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka rejected a generated record: " + error.getMessage(), error);
        }
        producer.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value()), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                appended.accept(meta.timestamp());
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka rejected a generated record: " + error.getMessage(), error);
        }
    }

    /** One closing record per partition of the main topic. */
    @Override
    public int closingRecords() {
        return producer.partitionsFor(mainTopic).size();
    }

    @Override
    public void close() {
        producer.close();
    }
}
