package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** What every pipeline's typed configuration provides to the code that runs it. */
public interface PipelineConfig extends Serializable {

    /** The pipeline's name: {@code market}, {@code orders}, ... */
    String pipeline();

    KafkaConnection kafka();

    int parallelism();

    Duration checkpointInterval();

    String checkpointDir();

    String stateBackend();

    /** The Kafka consumer group the sources commit their offsets to. */
    String groupId();

    /** The topics the pipeline reads (its lag is measured on these). */
    List<String> inputTopics();

    String dlqTopic();
}
