package io.millrace.gen;

/**
 * Where a generator's records go: the input topics of most pipelines, or the source database of a
 * pipeline that reads a database's changes. The first failed write stops the run: a generator that silently
 * skips records would make verify meaningless.
 */
public interface GeneratorOutput extends AutoCloseable {

    void send(GeneratedRecord record);

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
