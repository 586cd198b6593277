package io.millrace.pipeline;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One Flink job of a pipeline: its name, the subdirectory of checkpoint.dir its checkpoints go to (empty: the
 * directory itself; a pipeline of several jobs gives each its own), and what it adds to an environment.
 */
public record PipelineJob(String name, String checkpointSubdir, Assembly assembly) {

    /** Configures {@code env} (checkpoints, state, restarts) and adds the job's sources, operators and sinks. */
    @FunctionalInterface
    public interface Assembly {
        void attach(StreamExecutionEnvironment env);
    }

    /** The only job of a pipeline: checkpoints directly under checkpoint.dir. */
    public PipelineJob(String name, Assembly assembly) {
        this(name, "", assembly);
    }

    public void attach(StreamExecutionEnvironment env) {
        assembly.attach(env);
    }
}
