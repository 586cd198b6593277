package io.millrace.config;

/**
 * Key definitions shared by the Kafka-to-Kafka pipelines, with per-pipeline defaults: the same names mean
 * the same thing in every pipeline.
 */
public final class StreamKeys {

    private StreamKeys() {}

    public static ConfigKey<String> input(String topic) {
        return ConfigKey.string("topic.input", topic, "input topic");
    }

    public static ConfigKey<String> output(String topic) {
        return ConfigKey.string("topic.output", topic, "output topic of window results (written exactly once)");
    }

    public static ConfigKey<String> dlq(String pipeline) {
        return ConfigKey.string("topic.dlq", pipeline + ".dlq", "dead-letter topic for malformed or invalid input");
    }

    public static ConfigKey<String> late(String pipeline) {
        return ConfigKey.string("topic.late", pipeline + ".late", "topic of events beyond the allowed lateness");
    }

    public static ConfigKey<String> groupId(String pipeline) {
        return ConfigKey.string("source.group-id", "millrace-" + pipeline,
                "Kafka consumer group; offsets are committed to it on every completed checkpoint");
    }

    /**
     * Prefix of the Kafka sinks' transactional ids. A restarted job must keep it, to abort what its previous
     * incarnation left open; two copies of one pipeline on one Kafka cluster need different ones.
     */
    public static ConfigKey<String> transactionalIdPrefix(String pipeline) {
        return ConfigKey.string("sink.transactional-id-prefix", "millrace-" + pipeline,
                "prefix of the Kafka sinks' transactional ids; keep it across restarts, and give each copy of a "
                        + "pipeline writing to the same Kafka cluster its own");
    }

    public static ConfigKey<java.time.Duration> outOfOrderness(String value) {
        return ConfigKey.duration("watermark.out-of-orderness", value, "bounded out-of-orderness of event time per partition");
    }

    public static ConfigKey<java.time.Duration> idleTimeout() {
        return ConfigKey.duration("watermark.idle-timeout", "10s",
                "a partition without records this long stops holding back the watermark");
    }

    public static ConfigKey<java.time.Duration> maxDrift() {
        return ConfigKey.duration("watermark.max-drift", "10s",
                "partitions ahead of the slowest by more than this much event time are paused (watermark alignment); 0 disables");
    }

    public static ConfigKey<java.time.Duration> windowSize(String value) {
        return ConfigKey.duration("window.size", value, "window size");
    }

    public static ConfigKey<java.time.Duration> allowedLateness(String value) {
        return ConfigKey.duration("window.allowed-lateness", value,
                "late events within this bound update their window (the result is emitted again); later ones go to the late topic");
    }

    public static ConfigKey<java.time.Duration> idleCatchUp() {
        return ConfigKey.duration("window.idle-catch-up", "5min",
                "how long a window stays open past its allowed lateness for events of a partition that was idle (the "
                        + "job watermark ran ahead without it): they are on time by their partition's clock, so they update "
                        + "the window's result instead of being lost");
    }

    public static ConfigKey<java.time.Duration> maxFuture() {
        return ConfigKey.duration("validation.max-future", "1h",
                "records with event time further ahead of the wall clock go to the DLQ");
    }

    /** A window size must divide a day, so windows are aligned the same way on every day. */
    static void requireAlignedWindow(String key, java.time.Duration size) {
        if (size.toMillis() <= 0 || java.time.Duration.ofDays(1).toMillis() % size.toMillis() != 0) {
            throw new ConfigException("config key '" + key + "' must be positive and divide a day evenly, got " + size);
        }
    }
}
