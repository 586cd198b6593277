package io.millrace.pipeline;

import io.millrace.config.PostgresConnection;
import io.millrace.config.RedisConnection;
import java.util.List;

/** How a pipeline's results become final, so commands know how far they may compare or wait. */
public sealed interface Finality {

    /**
     * Final up to the lowest progress watermark of the named sinks in the progress table, which each sink
     * writes in the same transaction as its rows.
     */
    record ProgressTable(PostgresConnection postgres, String pipeline, List<String> sinks) implements Finality {}

    /**
     * Final up to the lowest watermark the named Redis sinks recorded in their progress hash, which each
     * writer sets in the same flush as its results.
     */
    record RedisProgress(RedisConnection redis, List<io.millrace.sink.RedisProgress> sinks) implements Finality {}

    /**
     * Final up to the input watermark of the results' writer operator (read from the running job); the
     * results themselves become visible when the checkpoint after them commits their transaction.
     */
    record WriterWatermark(String writerOperator) implements Finality {}
}
