package io.millrace.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of the {@code moving-averages} pipeline (SPEC 2.5): sliding windows per stock,
 * from Kafka, files or a socket, in append or update mode.
 */
public record MovingAveragesConfig(StreamSettings stream, Duration slide, String source, String mode,
        Duration earlyFireInterval) implements StreamPipelineConfig {

    public static final String PIPELINE = "moving-averages";
    public static final String APPEND = "append";
    public static final String UPDATE = "update";

    public static final StreamSettings.Keys STREAM = StreamSettings.Keys.of(PIPELINE, "stocks", "stocks_averages",
            "5s", "3s", "0");
    public static final ConfigKey<Duration> SLIDE = ConfigKey.duration("window.slide", "1s", "how often a window starts");
    public static final ConfigKey<String> SOURCE = ConfigKey.string("source", "kafka",
            "where the ticks come from: kafka (topic.input), file:PATH (a file or a directory of files, replayed in "
                    + "event time) or socket:HOST:PORT (text lines; not replayable, so not exactly once)");
    public static final ConfigKey<String> MODE = ConfigKey.choice("output.mode", APPEND,
            "append: each window once, when final; update: early results while the window is open, then the final one",
            APPEND, UPDATE);
    public static final ConfigKey<Duration> EARLY_FIRE_INTERVAL = ConfigKey.duration("window.early-fire-interval", "1s",
            "in update mode, how often (processing time) an open window emits its current result");

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(STREAM.all());
        keys.addAll(List.of(SLIDE, SOURCE, MODE, EARLY_FIRE_INTERVAL));
        return keys;
    }

    public static MovingAveragesConfig from(Settings s) {
        MovingAveragesConfig config = new MovingAveragesConfig(STREAM.read(s), s.get(SLIDE), s.get(SOURCE), s.get(MODE),
                s.get(EARLY_FIRE_INTERVAL));
        long size = config.stream().windowSize().toMillis();
        long slide = config.slide().toMillis();
        if (slide <= 0 || slide > size || size % slide != 0) {
            throw new ConfigException("config key 'window.slide' must be positive, at most window.size and divide it; got "
                    + config.slide() + " for a window of " + config.stream().windowSize());
        }
        if (!(config.source().equals("kafka") || config.source().startsWith("file:") || config.source().matches("socket:[^:]+:\\d+"))) {
            throw new ConfigException("config key 'source' must be kafka, file:PATH or socket:HOST:PORT, got '"
                    + config.source() + "'");
        }
        if (config.mode().equals(UPDATE) && config.earlyFireInterval().isZero()) {
            throw new ConfigException("config key 'window.early-fire-interval' must be positive in update mode");
        }
        return config;
    }

    public static MovingAveragesConfig with(Map<String, String> overrides) {
        return from(Settings.layered(keys(), null, Map.of(), overrides));
    }

    /** True when the input is a replayable Kafka topic (exactly once end to end). */
    public boolean kafkaSource() {
        return source.equals("kafka");
    }
}
