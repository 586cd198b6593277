package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/** The settings of a pipeline that writes to PostgreSQL: where it is and how its sinks batch and retry. */
public record PostgresSettings(PostgresConnection connection, PostgresSinkOptions sink) implements Serializable {

    public static final ConfigKey<String> URL = ConfigKey.string("postgres.url",
            "jdbc:postgresql://127.0.0.1:15432/postgres", "PostgreSQL JDBC URL of the pipeline's database");
    public static final ConfigKey<String> USER = ConfigKey.string("postgres.user", "postgres", "PostgreSQL user");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("postgres.password",
            "PostgreSQL password (secret: the MILLRACE_POSTGRES_PASSWORD environment variable or a file only)");
    public static final ConfigKey<String> SSL_MODE = ConfigKey.string("postgres.sslmode", "",
            "TLS to PostgreSQL: disable, allow, prefer, require, verify-ca or verify-full (empty: the driver's default)");
    public static final ConfigKey<String> SSL_ROOT_CERT = ConfigKey.string("postgres.sslrootcert", "",
            "CA certificate file that verify-ca and verify-full check the server against");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer("sink.postgres.batch-size", 5000,
            "rows buffered per PostgreSQL sink writer before a write");
    public static final ConfigKey<Duration> FLUSH_INTERVAL = ConfigKey.duration("sink.postgres.flush-interval", "1s",
            "longest time a row waits in a PostgreSQL sink buffer");
    public static final ConfigKey<WriteMode> WRITE_MODE = ConfigKey.choice("sink.postgres.write-mode", WriteMode.COPY,
            "how batches are written: COPY into a staging table then one INSERT ... SELECT ... ON CONFLICT "
                    + "(measured faster), or batched multi-row INSERT ... ON CONFLICT");
    public static final ConfigKey<Integer> MAX_RETRIES = ConfigKey.integer("sink.postgres.max-retries", 5,
            "retries of a failed write (with backoff) before the job fails over to its last checkpoint");
    public static final ConfigKey<Duration> RETRY_BACKOFF = ConfigKey.duration("sink.postgres.retry-backoff", "500ms",
            "first retry delay; doubles on every retry");

    /** Declares the PostgreSQL keys in {@code set}: the connection and the sinks' batching. */
    public static void declare(ConfigKeys set) {
        declareConnection(set);
        set.add(BATCH_SIZE);
        set.add(FLUSH_INTERVAL);
        set.add(WRITE_MODE);
        set.add(MAX_RETRIES);
        set.add(RETRY_BACKOFF);
    }

    /** Declares only the connection keys, for a pipeline that reads PostgreSQL but does not write it. */
    public static void declareConnection(ConfigKeys set) {
        set.add(URL);
        set.add(USER);
        set.add(PASSWORD);
        set.add(SSL_MODE);
        set.add(SSL_ROOT_CERT);
    }

    /** Only the connection, e.g. for commands that read a pipeline's tables. */
    public static PostgresConnection connection(Settings s) {
        String mode = s.get(SSL_MODE);
        if (!mode.isEmpty() && !java.util.List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
                .contains(mode)) {
            throw new ConfigException("config key '" + SSL_MODE.name() + "' must be disable, allow, prefer, require, "
                    + "verify-ca or verify-full, got '" + mode + "'");
        }
        return new PostgresConnection(s.get(URL), s.get(USER), s.get(PASSWORD), mode, s.get(SSL_ROOT_CERT));
    }

    public static PostgresSettings read(Settings s) {
        int batch = s.get(BATCH_SIZE);
        if (batch < 1) {
            throw new ConfigException("config key '" + BATCH_SIZE.name() + "' must be at least 1, got " + batch);
        }
        return new PostgresSettings(connection(s), new PostgresSinkOptions(batch, s.get(FLUSH_INTERVAL),
                s.get(WRITE_MODE), s.get(MAX_RETRIES), s.get(RETRY_BACKOFF)));
    }
}
