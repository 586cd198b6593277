package io.millrace.stack;

import java.nio.file.Path;

/** The data directory of the local stack: {@code $MILLRACE_HOME}, else {@code .millrace} in the working directory. */
public record MillraceHome(Path root) {

    public static MillraceHome resolve() {
        String env = System.getenv("MILLRACE_HOME");
        return new MillraceHome((env == null || env.isBlank() ? Path.of(".millrace") : Path.of(env)).toAbsolutePath().normalize());
    }

    public Path kafkaData() {
        return root.resolve("kafka");
    }

    public Path postgresData() {
        return root.resolve("postgres");
    }

    public Path redisData() {
        return root.resolve("redis");
    }

    public Path searchData() {
        return root.resolve("search");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path stackFile() {
        return root.resolve("stack.json");
    }

    /** The local Iceberg warehouse (Hadoop catalog): one directory per namespace, one below it per table. */
    public Path warehouse() {
        return root.resolve("warehouse");
    }

    public Path checkpoints(String pipeline) {
        return root.resolve("checkpoints").resolve(pipeline);
    }
}
