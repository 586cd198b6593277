package io.millrace.pipeline.movingaverages;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.config.WindowAggregationConfig;
import io.millrace.config.WindowAggregationSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The typed configuration of the {@code moving-averages} pipeline: sliding windows per stock, from Kafka,
 * files or a socket, in append or update mode.
 */
public record MovingAveragesConfig(CommonSettings common, WindowAggregationSettings aggregation, Duration slide,
        TickSource source, OutputMode mode, Duration earlyFireInterval) implements WindowAggregationConfig {

    public static final String PIPELINE = "moving-averages";

    private static final ConfigKeys KEYS = new ConfigKeys();
    private static final CommonSettings.Keys COMMON = CommonSettings.declare(KEYS,
            new CommonSettings.Defaults(PIPELINE, "5s", "3s", "0"));
    private static final WindowAggregationSettings.Keys AGGREGATION = WindowAggregationSettings.declare(KEYS, PIPELINE,
            "stocks", "stocks_averages");
    public static final ConfigKey<Duration> SLIDE = KEYS.add(ConfigKey.duration("window.slide", "1s",
            "how often a window starts"));
    public static final ConfigKey<String> SOURCE = KEYS.add(ConfigKey.string("source", "kafka",
            "where the ticks come from: kafka (topic.input), file:PATH (a file or a directory of files, replayed in "
                    + "event time) or socket:HOST:PORT (text lines; not replayable, so not exactly once)"));
    public static final ConfigKey<OutputMode> MODE = KEYS.add(ConfigKey.choice("output.mode", OutputMode.APPEND,
            "append: each window once, when final; update: early results while the window is open, then the final one"));
    public static final ConfigKey<Duration> EARLY_FIRE_INTERVAL = KEYS.add(ConfigKey.duration(
            "window.early-fire-interval", "1s", "in update mode, how often (processing time) an open window emits its "
                    + "current result"));

    public static ConfigKeys keys() {
        return KEYS;
    }

    public static MovingAveragesConfig from(Settings s) {
        MovingAveragesConfig config = new MovingAveragesConfig(COMMON.read(s), AGGREGATION.read(s), s.get(SLIDE),
                TickSource.parse(s.get(SOURCE)), s.get(MODE), s.get(EARLY_FIRE_INTERVAL));
        long size = config.common().windowSize().toMillis();
        long slide = config.slide().toMillis();
        if (slide <= 0 || slide > size || size % slide != 0) {
            throw new ConfigException("config key 'window.slide' must be positive, at most window.size and divide it; got "
                    + ConfigKey.formatDuration(config.slide()) + " for a window of "
                    + ConfigKey.formatDuration(config.common().windowSize()));
        }
        if (config.mode() == OutputMode.UPDATE && config.earlyFireInterval().isZero()) {
            throw new ConfigException("config key 'window.early-fire-interval' must be positive in update mode");
        }
        return config;
    }

    /** Defaults overridden by the given key/value pairs (tests). */
    public static MovingAveragesConfig with(Map<String, String> overrides) {
        return from(Settings.layered(KEYS.all(), null, Map.of(), overrides));
    }
}
