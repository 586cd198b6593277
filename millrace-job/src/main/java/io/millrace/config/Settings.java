package io.millrace.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Raw configuration values layered as defaults &lt; config file &lt; environment variables &lt; CLI flags,
 * checked against the known keys so a typo is an error, not a silently ignored setting.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> origins;

    private Settings(Map<String, String> values, Map<String, String> origins) {
        this.values = values;
        this.origins = origins;
    }

    /** Only the defaults. */
    public static Settings defaults(Collection<ConfigKey<?>> keys) {
        return layered(keys, null, Map.of(), Map.of());
    }

    /**
     * @param file an optional properties file ({@code key = value}), may be null
     * @param env the process environment (only {@code MILLRACE_*} names of known keys are read)
     * @param overrides values from the command line, by key name
     */
    public static Settings layered(Collection<ConfigKey<?>> keys, Path file, Map<String, String> env,
            Map<String, String> overrides) {
        return layered(keys, Map.of(), "default", file, env, overrides);
    }

    /**
     * As {@link #layered(Collection, Path, Map, Map)}, with {@code base} values (e.g. endpoints of the
     * running local stack) between the defaults and the config file.
     */
    public static Settings layered(Collection<ConfigKey<?>> keys, Map<String, String> base, String baseOrigin, Path file,
            Map<String, String> env, Map<String, String> overrides) {
        Map<String, ConfigKey<?>> known = new LinkedHashMap<>();
        keys.forEach(k -> known.put(k.name(), k));
        Map<String, String> values = new HashMap<>();
        Map<String, String> origins = new HashMap<>();
        for (ConfigKey<?> key : keys) {
            values.put(key.name(), key.defaultValue());
            origins.put(key.name(), "default");
        }
        for (Map.Entry<String, String> e : base.entrySet()) {
            requireKnown(known, e.getKey(), baseOrigin);
            values.put(e.getKey(), e.getValue());
            origins.put(e.getKey(), baseOrigin);
        }
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            for (String name : props.stringPropertyNames()) {
                requireKnown(known, name, "config file " + file);
                values.put(name, props.getProperty(name));
                origins.put(name, "config file " + file);
            }
        }
        for (ConfigKey<?> key : keys) {
            String fromEnv = env.get(key.envName());
            if (fromEnv != null) {
                values.put(key.name(), fromEnv);
                origins.put(key.name(), "environment variable " + key.envName());
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            requireKnown(known, e.getKey(), "command line");
            ConfigKey<?> key = known.get(e.getKey());
            if (key.isSecret()) {
                throw new ConfigException("config key '" + key.name() + "' is a secret: set it in the environment ("
                        + key.envName() + ") or in a file (--config FILE, or a Kafka client config file), not on the "
                        + "command line, where process lists and the Flink web UI show it");
            }
            values.put(e.getKey(), e.getValue());
            origins.put(e.getKey(), "command line");
        }
        Settings settings = new Settings(values, origins);
        keys.forEach(settings::get);
        return settings;
    }

    public <T> T get(ConfigKey<T> key) {
        String raw = values.get(key.name());
        if (raw == null) {
            throw new ConfigException("config key '" + key.name() + "' is not defined for this pipeline");
        }
        return key.parse(raw, origins.get(key.name()));
    }

    public String origin(ConfigKey<?> key) {
        return origins.get(key.name());
    }

    private static void requireKnown(Map<String, ConfigKey<?>> known, String name, String origin) {
        if (known.containsKey(name)) {
            return;
        }
        String hint = closest(known.keySet(), name);
        throw new ConfigException("unknown config key '" + name + "' (from " + origin + ")"
                + (hint == null ? "" : "; did you mean '" + hint + "'?"));
    }

    private static String closest(Collection<String> names, String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(names)) {
            int d = distance(candidate, name);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
