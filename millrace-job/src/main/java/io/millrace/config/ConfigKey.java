package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed configuration key with its default and description. Names are hierarchical kebab-case
 * ({@code sink.postgres.batch-size}); the environment variable is derived from the name
 * ({@code MILLRACE_SINK_POSTGRES_BATCH_SIZE}).
 */
public final class ConfigKey<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)");

    private final String name;
    private final String defaultValue;
    private final String description;
    private final String typeName;
    private final SerializableParser<T> parser;
    private final boolean topic;
    private final boolean secret;

    /** Parses one raw value; throws IllegalArgumentException with a user-facing message. */
    @FunctionalInterface
    public interface SerializableParser<T> extends Function<String, T>, Serializable {}

    private ConfigKey(String name, String defaultValue, String typeName, SerializableParser<T> parser, String description,
            boolean topic, boolean secret) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.typeName = typeName;
        this.parser = parser;
        this.description = description;
        this.topic = topic;
        this.secret = secret;
    }

    private ConfigKey(String name, String defaultValue, String typeName, SerializableParser<T> parser, String description) {
        this(name, defaultValue, typeName, parser, description, false, false);
    }

    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, "string", v -> v, description);
    }

    /**
     * The name of a Kafka topic the pipeline reads or writes: commands that give a pipeline its own topics
     * (bench) or delete them (reset) find every such key without knowing the pipeline.
     */
    public static ConfigKey<String> topic(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, "topic", v -> {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("expected a topic name");
            }
            return v;
        }, description, true, false);
    }

    /**
     * A password or credential: taken only from the environment or a file (never from the command line, which
     * shows up in process lists and in Flink's web UI), and never printed.
     */
    public static ConfigKey<String> secret(String name, String description) {
        return new ConfigKey<>(name, "", "secret", v -> v, description, false, true);
    }

    /** A number with a fraction, e.g. 0.25. */
    public static ConfigKey<Double> decimal(String name, double defaultValue, String description) {
        return new ConfigKey<>(name, Double.toString(defaultValue), "number", ConfigKey::parseDouble, description);
    }

    /**
     * One of the constants of {@code type}, written in lower case with '-' for '_' ({@code EVENT_TIME} is
     * {@code event-time}).
     */
    public static <E extends Enum<E>> ConfigKey<E> choice(String name, E defaultValue, String description) {
        Class<E> type = defaultValue.getDeclaringClass();
        String allowed = String.join("|", java.util.Arrays.stream(type.getEnumConstants()).map(ConfigKey::word).toList());
        return new ConfigKey<>(name, word(defaultValue), allowed, v -> {
            String lower = v.trim().toLowerCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (word(constant).equals(lower)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("expected one of " + allowed);
        }, description);
    }

    /** How a choice constant is written in settings: {@code EVENT_TIME} is {@code event-time}. */
    public static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ConfigKey<Integer> integer(String name, int defaultValue, String description) {
        return new ConfigKey<>(name, Integer.toString(defaultValue), "integer", ConfigKey::parseInt, description);
    }

    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
        return new ConfigKey<>(name, Boolean.toString(defaultValue), "boolean", ConfigKey::parseBoolean, description);
    }

    public static ConfigKey<Duration> duration(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, "duration", ConfigKey::parseDuration, description);
    }

    public String name() {
        return name;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public String typeName() {
        return typeName;
    }

    /** True for a password or credential (see {@link #secret}). */
    public boolean isSecret() {
        return secret;
    }

    /** A value as {@code config} shows it: secrets masked. */
    public String display(Object value) {
        String text = format(value);
        return secret && !text.isEmpty() ? "****" : text;
    }

    /** True for the name of a Kafka topic (see {@link #topic}). */
    public boolean isTopic() {
        return topic;
    }

    /** A value of this key as settings write it (durations as {@code 5s}, choices as their word). */
    public String format(Object value) {
        if (value instanceof Duration d) {
            return formatDuration(d);
        }
        if (value instanceof Enum<?> e) {
            return word(e);
        }
        return String.valueOf(value);
    }

    public String envName() {
        return "MILLRACE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public T parse(String raw, String origin) {
        try {
            return parser.apply(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key '" + name + "' (from " + origin + "): cannot use '" + raw + "': "
                    + e.getMessage());
        }
    }

    private static Integer parseInt(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer");
        }
    }

    private static Double parseDouble(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number");
        }
    }

    private static Boolean parseBoolean(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** {@code 500ms}, {@code 5s}, {@code 2min} (or {@code 2m}), {@code 1h}, {@code 1d}, or ISO-8601 {@code PT5S}. */
    public static Duration parseDuration(String v) {
        if (v.startsWith("P") || v.startsWith("p")) {
            try {
                return Duration.parse(v);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 5s, 2min, 1h");
            }
        }
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException("expected a duration such as 500ms, 5s, 2min, 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The inverse of {@link #parseDuration}: {@code 500ms}, {@code 30s}, {@code 5min}, {@code 1h}. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    @Override
    public String toString() {
        return name;
    }
}
