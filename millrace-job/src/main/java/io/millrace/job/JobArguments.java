package io.millrace.job;

import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.Settings;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job-jar arguments for {@code flink run}: {@code --config FILE} and {@code --set key=value} (repeatable),
 * layered over {@code MILLRACE_*} environment variables and defaults.
 */
public final class JobArguments {

    private JobArguments() {}

    public static Settings settings(String[] args, Collection<ConfigKey<?>> keys) {
        Path file = System.getenv("MILLRACE_CONFIG") == null ? null : Path.of(System.getenv("MILLRACE_CONFIG"));
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--config") || arg.equals("--set")) && i + 1 == args.length) {
                throw new ConfigException(arg + " needs a value");
            }
            switch (arg) {
                case "--config" -> file = Path.of(args[++i]);
                case "--set" -> {
                    String pair = args[++i];
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException("--set expects key=value, got '" + pair + "'");
                    }
                    overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                }
                default -> throw new ConfigException("unknown argument '" + arg + "' (use --config FILE or --set key=value)");
            }
        }
        return Settings.layered(keys, file, System.getenv(), overrides);
    }
}
