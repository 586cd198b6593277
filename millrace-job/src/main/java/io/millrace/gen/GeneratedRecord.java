package io.millrace.gen;

/**
 * One record a generator produces, for the topic of {@code target}; {@code partition} is null unless the
 * record must go to a specific partition (closing events).
 */
public record GeneratedRecord(Kind kind, Target target, Integer partition, byte[] key, byte[] value, long eventTime) {

    /** What the record is, for counting. */
    public enum Kind { INFO, TRADE, OUT_OF_ORDER, LATE, DUPLICATE, BAD, CLOSE }

    /** Which input topic the record belongs to. */
    public enum Target { MAIN, REFERENCE }
}
