package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The settings of a windowed aggregation from one Kafka topic to Kafka topics: its input, results and late
 * topics, and how long a window waits past its lateness for a partition that was idle.
 */
public record WindowAggregationSettings(String inputTopic, String outputTopic, String lateTopic, Duration idleCatchUp)
        implements Serializable {

    public static final ConfigKey<Duration> IDLE_CATCH_UP = ConfigKey.duration("window.idle-catch-up", "5min",
            "how long a window stays open past its allowed lateness for events of a partition that was idle (the "
                    + "job watermark ran ahead without it): they are on time by their partition's clock, so they update "
                    + "the window's result instead of being lost");

    /** A pipeline's declaration of these keys, with its topic names. */
    public static final class Keys {
        public final ConfigKey<String> input;
        public final ConfigKey<String> output;
        public final ConfigKey<String> late;

        private Keys(ConfigKeys set, String pipeline, String inputTopic, String outputTopic) {
            input = set.add(ConfigKey.topic("topic.input", inputTopic, "input topic"));
            output = set.add(ConfigKey.topic("topic.output", outputTopic,
                    "output topic of window results (written exactly once)"));
            late = set.add(ConfigKey.topic("topic.late", pipeline + ".late", "topic of events beyond the allowed lateness"));
            set.add(IDLE_CATCH_UP);
        }

        public WindowAggregationSettings read(Settings s) {
            return new WindowAggregationSettings(s.get(input), s.get(output), s.get(late), s.get(IDLE_CATCH_UP));
        }
    }

    public static Keys declare(ConfigKeys set, String pipeline, String inputTopic, String outputTopic) {
        return new Keys(set, pipeline, inputTopic, outputTopic);
    }

    /** How long the window operator keeps a window after its end: the allowed lateness plus the idle catch-up. */
    public Duration windowRetention(Duration allowedLateness) {
        return allowedLateness.plus(idleCatchUp);
    }
}
