package io.millrace.pipeline;

/** One input of a pipeline: a Kafka topic (or a path, a socket) and the source operator that reads it. */
public record SourceSpec(String name, String operatorName) {

    public static SourceSpec kafka(String topic) {
        return new SourceSpec(topic, OperatorNames.kafkaSource(topic));
    }

    /** The operator as Flink's metrics name it. */
    public String metricOperator() {
        return OperatorNames.sourceMetric(operatorName);
    }
}
