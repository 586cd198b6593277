package io.millrace.pipeline;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** One Flink job of a pipeline: its name and what it adds to an environment (settings, sources, operators, sinks). */
public record PipelineJob(String name, Assembly assembly) {

    /** Configures {@code env} (checkpoints, state, restarts) and adds the job's sources, operators and sinks. */
    @FunctionalInterface
    public interface Assembly {
        void attach(StreamExecutionEnvironment env);
    }

    public void attach(StreamExecutionEnvironment env) {
        assembly.attach(env);
    }
}
