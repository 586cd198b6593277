package io.millrace.pipeline;

/**
 * The names of the operators that read and write a pipeline's data, as the job gives them and as Flink's
 * metrics and web UI show them; monitors look operators up by these, so both sides use this class.
 */
public final class OperatorNames {

    private OperatorNames() {}

    /** The name a Kafka source of {@code topic} is given. */
    public static String kafkaSource(String topic) {
        return "Kafka " + topic;
    }

    /** How Flink reports a source named {@code name}. */
    public static String sourceMetric(String name) {
        return "Source: " + name;
    }

    public static String kafkaSink(String topic) {
        return "Kafka " + topic;
    }

    public static String postgresSink(String table) {
        return "PostgreSQL " + table;
    }

    public static String redisSink(String name) {
        return "Redis " + name;
    }

    public static String searchSink(String index) {
        return "OpenSearch " + index;
    }

    public static String warehouseSink(String table) {
        return "Iceberg " + table;
    }

    /** The writer operator of a sink named {@code sink}: the one whose records-in count is what was written. */
    public static String writer(String sink) {
        return sink + ": Writer";
    }
}
