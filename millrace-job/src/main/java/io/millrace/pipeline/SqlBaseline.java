package io.millrace.pipeline;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A plain Flink SQL formulation of a pipeline, which the benchmark runs on the same input to show what the pipeline's
 * own design costs or buys. It writes beside the pipeline's results (its own tables), never over them.
 */
public interface SqlBaseline {

    /** For reports: what the baseline is and what it does not do that the pipeline does. */
    String describe();

    /** Creates (afresh) what the baseline writes to. */
    void prepare() throws Exception;

    /** Adds the baseline job to {@code env}, reading the pipeline's inputs from the beginning as group {@code groupId}. */
    void attach(StreamExecutionEnvironment env, String groupId);

    /** Rows the baseline has written to its main results table so far. */
    long mainRows() throws Exception;

    /**
     * Whether the baseline has written as many results as the pipeline did on the same input (the pipeline ran first),
     * so that its run can be timed to the same end.
     */
    boolean caughtUp() throws Exception;

    /** For reports: how far the baseline's results agree with the pipeline's, e.g. "1 440 of 1 440 windows". */
    String agreement() throws Exception;
}
