package io.millrace.pipeline.movingaverages;

import io.millrace.config.ConfigException;
import java.io.Serializable;

/** Where the ticks come from, parsed once from the {@code source} setting. */
public sealed interface TickSource extends Serializable {

    /** The input topic: replayable, so exactly once end to end. */
    record Kafka() implements TickSource {}

    /** A file or a directory of files, replayed in event time. */
    record Files(String path) implements TickSource {}

    /** Text lines from a TCP server: not replayable, so not exactly once. */
    record Socket(String host, int port) implements TickSource {}

    /** {@code kafka}, {@code file:PATH} or {@code socket:HOST:PORT}. */
    static TickSource parse(String value) {
        if (value.equals("kafka")) {
            return new Kafka();
        }
        if (value.startsWith("file:") && value.length() > "file:".length()) {
            return new Files(value.substring("file:".length()));
        }
        if (value.matches("socket:[^:]+:\\d+")) {
            String[] hostPort = value.substring("socket:".length()).split(":");
            return new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        }
        throw new ConfigException("config key 'source' must be kafka, file:PATH or socket:HOST:PORT, got '" + value + "'");
    }
}
