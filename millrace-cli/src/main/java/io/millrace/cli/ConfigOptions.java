package io.millrace.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}: the file and command-line layers of a pipeline's settings. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "properties file of pipeline settings (key = value); env MILLRACE_CONFIG")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "set one pipeline setting, e.g. --set window.allowed-lateness=2min (repeatable); "
                    + "see ./millrace config <pipeline>")
    Map<String, String> set = new LinkedHashMap<>();

    Path fileOrEnv() {
        if (file != null) {
            return file;
        }
        String env = System.getenv("MILLRACE_CONFIG");
        return env == null || env.isBlank() ? null : Path.of(env);
    }
}
