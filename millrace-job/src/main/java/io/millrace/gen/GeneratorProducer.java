package io.millrace.gen;

import io.millrace.config.KafkaConnection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes generated records to Kafka with idempotent, batched, compressed sends; the first send error
 * stops the run (a generator that silently skips records would make verify meaningless).
 */
public final class GeneratorProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public GeneratorProducer(KafkaConnection kafka) {
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

    public void send(String topic, GeneratedRecord record) {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka rejected a generated record: " + error.getMessage(), error);
        }
        producer.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value()), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acknowledged.incrementAndGet();
            }
        });
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public void flush() {
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka rejected a generated record: " + error.getMessage(), error);
        }
    }

    public int partitions(String topic) {
        return producer.partitionsFor(topic).size();
    }

    @Override
    public void close() {
        producer.close();
    }
}
