package io.millrace.cli;

import io.millrace.config.ConfigKey;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h} (or ISO-8601) for duration flags. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return ConfigKey.parseDuration(value.trim());
    }
}
