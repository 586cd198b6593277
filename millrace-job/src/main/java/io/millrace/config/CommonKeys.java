package io.millrace.config;

import java.util.List;

/** Connection, runtime and sink keys every pipeline shares. */
public final class CommonKeys {

    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.string("kafka.bootstrap-servers",
            "127.0.0.1:19092", "Kafka bootstrap servers");
    public static final ConfigKey<String> POSTGRES_URL = ConfigKey.string("postgres.url",
            "jdbc:postgresql://127.0.0.1:15432/postgres", "PostgreSQL JDBC URL of the sink database");
    public static final ConfigKey<String> POSTGRES_USER = ConfigKey.string("postgres.user", "postgres",
            "PostgreSQL user");
    public static final ConfigKey<String> POSTGRES_PASSWORD = ConfigKey.string("postgres.password", "",
            "PostgreSQL password; prefer the MILLRACE_POSTGRES_PASSWORD environment variable");
    public static final ConfigKey<Integer> PARALLELISM = ConfigKey.integer("parallelism", 2,
            "parallelism of every operator");
    public static final ConfigKey<java.time.Duration> CHECKPOINT_INTERVAL = ConfigKey.duration("checkpoint.interval",
            "5s", "time between checkpoints; sinks flush and Kafka transactions commit on each");
    public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.string("checkpoint.dir", "",
            "checkpoint directory URI (e.g. file:///data/checkpoints); empty: the cluster's setting");
    public static final ConfigKey<Integer> SINK_POSTGRES_BATCH_SIZE = ConfigKey.integer("sink.postgres.batch-size",
            5000, "rows buffered per PostgreSQL sink writer before a write");
    public static final ConfigKey<java.time.Duration> SINK_POSTGRES_FLUSH_INTERVAL = ConfigKey.duration(
            "sink.postgres.flush-interval", "1s", "longest time a row waits in a PostgreSQL sink buffer");
    public static final ConfigKey<String> SINK_POSTGRES_WRITE_MODE = ConfigKey.choice("sink.postgres.write-mode",
            "copy", "how batches are written: COPY into a staging table then one INSERT ... SELECT ... ON CONFLICT "
                    + "(measured faster), or batched multi-row INSERT ... ON CONFLICT",
            PostgresSinkOptions.COPY, PostgresSinkOptions.INSERT);
    public static final ConfigKey<Integer> SINK_POSTGRES_MAX_RETRIES = ConfigKey.integer("sink.postgres.max-retries",
            5, "retries of a failed write (with backoff) before the job fails over to its last checkpoint");
    public static final ConfigKey<java.time.Duration> SINK_POSTGRES_RETRY_BACKOFF = ConfigKey.duration(
            "sink.postgres.retry-backoff", "500ms", "first retry delay; doubles on every retry");

    public static final ConfigKey<String> STARTING_OFFSETS = ConfigKey.choice("source.starting-offsets", "committed",
            "where a job without a checkpoint starts reading: the group's committed offsets (earliest if none), "
                    + "the earliest, or the latest offsets; a restored checkpoint always wins",
            "committed", "earliest", "latest");

    public static final ConfigKey<String> STATE_BACKEND = ConfigKey.choice("state.backend", "hashmap",
            "where operator state lives: hashmap (on the heap, full checkpoints) or rocksdb (on disk, incremental "
                    + "checkpoints: for large state, e.g. deduplication at high rates)", "hashmap", "rocksdb");

    private CommonKeys() {}

    /** Keys of every pipeline: where Kafka is, parallelism, checkpoints, state. */
    public static List<ConfigKey<?>> runtime() {
        return List.of(KAFKA_BOOTSTRAP_SERVERS, PARALLELISM, CHECKPOINT_INTERVAL, CHECKPOINT_DIR, STARTING_OFFSETS,
                STATE_BACKEND);
    }

    /** Keys of pipelines that write to PostgreSQL. */
    public static List<ConfigKey<?>> postgres() {
        return List.of(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD, SINK_POSTGRES_BATCH_SIZE,
                SINK_POSTGRES_FLUSH_INTERVAL, SINK_POSTGRES_WRITE_MODE, SINK_POSTGRES_MAX_RETRIES,
                SINK_POSTGRES_RETRY_BACKOFF);
    }

    public static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(runtime());
        keys.addAll(postgres());
        return keys;
    }

    public static KafkaConnection kafka(Settings s) {
        return new KafkaConnection(s.get(KAFKA_BOOTSTRAP_SERVERS));
    }

    public static PostgresConnection postgres(Settings s) {
        return new PostgresConnection(s.get(POSTGRES_URL), s.get(POSTGRES_USER), s.get(POSTGRES_PASSWORD));
    }

    public static PostgresSinkOptions postgresSink(Settings s) {
        int batch = s.get(SINK_POSTGRES_BATCH_SIZE);
        if (batch < 1) {
            throw new ConfigException("config key 'sink.postgres.batch-size' must be at least 1, got " + batch);
        }
        return new PostgresSinkOptions(batch, s.get(SINK_POSTGRES_FLUSH_INTERVAL), s.get(SINK_POSTGRES_WRITE_MODE),
                s.get(SINK_POSTGRES_MAX_RETRIES), s.get(SINK_POSTGRES_RETRY_BACKOFF));
    }
}
