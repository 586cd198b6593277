package io.millrace.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of one pipeline, in the order {@code config} lists them. A key joins the set where it is
 * declared ({@code static final ConfigKey<X> FOO = KEYS.add(...)}), so declaring a key is all it takes to make
 * it known to the parser, {@code config}, the environment and the job jar's {@code --set}.
 */
public final class ConfigKeys {

    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();

    /** Declares {@code key} as one of this set; a second key of the same name is a programming error. */
    public <T> ConfigKey<T> add(ConfigKey<T> key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalStateException("config key '" + key.name() + "' is declared twice");
        }
        return key;
    }

    public List<ConfigKey<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(keys.values()));
    }

    /** The keys that name Kafka topics. */
    public List<ConfigKey<String>> topics() {
        List<ConfigKey<String>> topics = new ArrayList<>();
        for (ConfigKey<?> key : keys.values()) {
            if (key.isTopic()) {
                @SuppressWarnings("unchecked")
                ConfigKey<String> topic = (ConfigKey<String>) key;
                topics.add(topic);
            }
        }
        return topics;
    }

    /** The key named {@code name}; a name not declared is a programming error. */
    public ConfigKey<?> require(String name) {
        ConfigKey<?> key = keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("no config key '" + name + "'");
        }
        return key;
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }
}
