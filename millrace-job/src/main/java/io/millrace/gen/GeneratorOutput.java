package io.millrace.gen;

import java.util.function.LongConsumer;

/**
 * Where a generator's records go: the input topics of most pipelines, or the source database of a
 * pipeline that reads a database's changes. The first failed write stops the run: a generator that silently
 * skips records would make verify meaningless.
 */
public interface GeneratorOutput extends AutoCloseable {

    void send(GeneratedRecord record);

    /**
     * Sends {@code record} and reports when it was appended to its input: by default the wall-clock time of the
     * hand-over, once the write is durable (outputs that learn the stored timestamp report that instead).
     */
    default void send(GeneratedRecord record, LongConsumer appended) {
        send(record);
        flush();
        appended.accept(System.currentTimeMillis());
    }

    /** Where main records go, for people: e.g. a topic's name. */
    String mainTarget();

    /** Where reference records go, or null when the pipeline has none. */
    String referenceTarget();

    /** Returns once everything sent so far is durably written. */
    void flush();

    /** How many closing records move every part of the input past the data (e.g. one per partition). */
    int closingRecords();

    @Override
    void close();
}
