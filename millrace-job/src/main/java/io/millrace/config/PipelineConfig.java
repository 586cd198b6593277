package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** What every pipeline's typed configuration provides: its common settings and the topics it reads. */
public interface PipelineConfig extends Serializable {

    CommonSettings common();

    /** The topics the pipeline reads (its consumer lag is measured on these). */
    List<String> inputTopics();

    /** The pipeline's name: {@code market}, {@code orders}, ... */
    default String pipeline() {
        return common().pipeline();
    }

    default KafkaConnection kafka() {
        return common().kafka();
    }

    default int parallelism() {
        return common().parallelism();
    }

    default Duration checkpointInterval() {
        return common().checkpointInterval();
    }

    default String checkpointDir() {
        return common().checkpointDir();
    }

    /** The Kafka consumer group the sources commit their offsets to. */
    default String groupId() {
        return common().groupId();
    }

    default String dlqTopic() {
        return common().dlqTopic();
    }
}
