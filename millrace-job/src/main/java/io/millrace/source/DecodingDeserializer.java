package io.millrace.source;

import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.RecordDecoder;
import io.millrace.codec.RecordOrigin;
import io.millrace.model.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka records into events, turning every failure into a {@link DeadLetter} that keeps the raw
 * bytes and the record's topic/partition/offset: bad input is routed, never dropped, never fatal.
 */
public final class DecodingDeserializer<T> implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {
    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final RecordDecoder<T> decoder;
    private final TypeInformation<T> eventType;

    public DecodingDeserializer(String pipeline, RecordDecoder<T> decoder, Class<T> eventClass) {
        this.pipeline = pipeline;
        this.decoder = decoder;
        this.eventType = TypeInformation.of(eventClass);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        RecordOrigin origin = new RecordOrigin(record.topic(), record.partition(), record.offset());
        try {
            out.collect(Either.Right(decoder.decode(record.value(), origin)));
        } catch (InvalidRecordException e) {
            out.collect(Either.Left(new DeadLetter(pipeline, record.topic(), record.partition(), record.offset(),
                    record.key(), record.value(), e.getMessage(), System.currentTimeMillis())));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(DeadLetter.class), eventType);
    }
}
