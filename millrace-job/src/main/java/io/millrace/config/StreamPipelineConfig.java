package io.millrace.config;

import java.util.List;

/** A pipeline configured by {@link StreamSettings}: the common accessors come from it. */
public interface StreamPipelineConfig extends PipelineConfig {

    StreamSettings stream();

    @Override
    default String pipeline() {
        return stream().pipeline();
    }

    @Override
    default KafkaConnection kafka() {
        return stream().kafka();
    }

    @Override
    default int parallelism() {
        return stream().parallelism();
    }

    @Override
    default java.time.Duration checkpointInterval() {
        return stream().checkpointInterval();
    }

    @Override
    default String checkpointDir() {
        return stream().checkpointDir();
    }

    @Override
    default String stateBackend() {
        return stream().stateBackend();
    }

    @Override
    default String groupId() {
        return stream().groupId();
    }

    @Override
    default List<String> inputTopics() {
        return List.of(stream().inputTopic());
    }

    @Override
    default String dlqTopic() {
        return stream().dlqTopic();
    }
}
