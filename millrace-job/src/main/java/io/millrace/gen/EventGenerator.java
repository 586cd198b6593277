package io.millrace.gen;

import java.util.List;

/** A deterministic source of one pipeline's input records. */
public interface EventGenerator {

    /** The next record (for the main topic, or the reference topic for market's info). */
    GeneratedRecord next();

    /** The highest event time of a valid, on-time or out-of-order record so far. */
    long maxEventTime();

    /** One record per partition, {@code after} beyond the newest event: it moves every partition's watermark past all data so far. */
    List<GeneratedRecord> closing(int partitions, long after);
}
