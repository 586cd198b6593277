package io.millrace.config;

import java.util.List;

/** The configuration of a windowed aggregation from Kafka to Kafka. */
public interface WindowAggregationConfig extends PipelineConfig {

    WindowAggregationSettings aggregation();

    @Override
    default List<String> inputTopics() {
        return List.of(aggregation().inputTopic());
    }
}
