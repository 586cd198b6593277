package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings every Kafka-to-Kafka windowed pipeline has: connection and runtime, its four topics, its
 * watermark and its window. Each pipeline's typed config embeds one.
 */
public record StreamSettings(
        String pipeline,
        KafkaConnection kafka,
        int parallelism,
        Duration checkpointInterval,
        String checkpointDir,
        String stateBackend,
        String startingOffsets,
        String inputTopic,
        String outputTopic,
        String dlqTopic,
        String lateTopic,
        String groupId,
        String transactionalIdPrefix,
        Duration outOfOrderness,
        Duration idleTimeout,
        Duration maxDrift,
        Duration windowSize,
        Duration allowedLateness,
        Duration idleCatchUp,
        Duration maxFuture) implements Serializable {

    /** How long the window operator keeps a window after its end: the allowed lateness plus the idle catch-up. */
    public Duration windowRetention() {
        return allowedLateness.plus(idleCatchUp);
    }

    /** The keys of one pipeline, with its defaults. */
    public record Keys(String pipeline, ConfigKey<String> input, ConfigKey<String> output, ConfigKey<String> dlq,
            ConfigKey<String> late, ConfigKey<String> groupId, ConfigKey<String> transactionalIdPrefix,
            ConfigKey<Duration> outOfOrderness,
            ConfigKey<Duration> idleTimeout, ConfigKey<Duration> maxDrift, ConfigKey<Duration> windowSize,
            ConfigKey<Duration> allowedLateness, ConfigKey<Duration> idleCatchUp, ConfigKey<Duration> maxFuture) {

        public static Keys of(String pipeline, String inputTopic, String outputTopic, String outOfOrderness,
                String windowSize, String allowedLateness) {
            return new Keys(pipeline, StreamKeys.input(inputTopic), StreamKeys.output(outputTopic),
                    StreamKeys.dlq(pipeline), StreamKeys.late(pipeline), StreamKeys.groupId(pipeline),
                    StreamKeys.transactionalIdPrefix(pipeline),
                    StreamKeys.outOfOrderness(outOfOrderness), StreamKeys.idleTimeout(), StreamKeys.maxDrift(),
                    StreamKeys.windowSize(windowSize), StreamKeys.allowedLateness(allowedLateness), StreamKeys.idleCatchUp(),
                    StreamKeys.maxFuture());
        }

        /** Runtime keys first, then this pipeline's stream keys. */
        public List<ConfigKey<?>> all() {
            List<ConfigKey<?>> keys = new ArrayList<>(CommonKeys.runtime());
            keys.addAll(List.of(input, output, dlq, late, groupId, transactionalIdPrefix, outOfOrderness, idleTimeout, maxDrift, windowSize,
                    allowedLateness, idleCatchUp, maxFuture));
            return keys;
        }

        public StreamSettings read(Settings s) {
            StreamSettings settings = new StreamSettings(pipeline, CommonKeys.kafka(s), s.get(CommonKeys.PARALLELISM),
                    s.get(CommonKeys.CHECKPOINT_INTERVAL), s.get(CommonKeys.CHECKPOINT_DIR), s.get(CommonKeys.STATE_BACKEND),
                    s.get(CommonKeys.STARTING_OFFSETS), s.get(input), s.get(output), s.get(dlq), s.get(late),
                    s.get(groupId), s.get(transactionalIdPrefix), s.get(outOfOrderness), s.get(idleTimeout), s.get(maxDrift), s.get(windowSize),
                    s.get(allowedLateness), s.get(idleCatchUp), s.get(maxFuture));
            if (settings.parallelism() < 1) {
                throw new ConfigException("config key 'parallelism' must be at least 1");
            }
            StreamKeys.requireAlignedWindow(windowSize.name(), settings.windowSize());
            return settings;
        }
    }
}
