package io.millrace.codec;

import java.io.Serializable;

/** Turns the value bytes of one input record into an event, or says precisely why it cannot. */
@FunctionalInterface
public interface RecordDecoder<T> extends Serializable {

    T decode(byte[] value, RecordOrigin origin) throws InvalidRecordException;
}
