package io.millrace.cli;

import io.millrace.config.CommonSettings;
import io.millrace.config.KafkaClientSettings;
import io.millrace.config.PostgresSettings;
import io.millrace.config.RedisSettings;
import io.millrace.config.SearchSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Flags that point a command at an external Kafka, PostgreSQL, Redis or OpenSearch instead of the local stack. */
public final class ConnectionOptions {

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the local stack's; env MILLRACE_KAFKA_BOOTSTRAP_SERVERS)")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties file for every Kafka client (security.protocol, sasl.*, ssl.*), as "
                    + "Kafka's own tools take it; secrets may be written in it (setting 'kafka.client-config')")
    String kafkaConfig;

    @Option(names = "--postgres-url", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL (default: the local stack's; env MILLRACE_POSTGRES_URL); "
                    + "the password comes from MILLRACE_POSTGRES_PASSWORD")
    String postgresUrl;

    @Option(names = "--postgres-user", paramLabel = "USER", description = "PostgreSQL user")
    String postgresUser;

    @Option(names = "--redis", paramLabel = "HOST:PORT",
            description = "Redis server (default: the local stack's; env MILLRACE_REDIS_HOST and MILLRACE_REDIS_PORT); "
                    + "the password comes from MILLRACE_REDIS_PASSWORD")
    String redis;

    @Option(names = "--search", paramLabel = "URL",
            description = "OpenSearch base URL, e.g. http://127.0.0.1:19200 (default: the local stack's; env "
                    + "MILLRACE_SEARCH_URL); basic auth with MILLRACE_SEARCH_USER and MILLRACE_SEARCH_PASSWORD")
    String search;

    Map<String, String> asOverrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (kafka != null) {
            overrides.put(CommonSettings.KAFKA_BOOTSTRAP_SERVERS.name(), kafka);
        }
        if (kafkaConfig != null) {
            overrides.put(KafkaClientSettings.CLIENT_CONFIG.name(), kafkaConfig);
        }
        if (postgresUrl != null) {
            overrides.put(PostgresSettings.URL.name(), postgresUrl);
        }
        if (postgresUser != null) {
            overrides.put(PostgresSettings.USER.name(), postgresUser);
        }
        if (redis != null) {
            int colon = redis.lastIndexOf(':');
            if (colon <= 0 || colon == redis.length() - 1) {
                throw new UserError("--redis takes HOST:PORT, got '" + redis + "'");
            }
            overrides.put(RedisSettings.HOST.name(), redis.substring(0, colon));
            overrides.put(RedisSettings.PORT.name(), redis.substring(colon + 1));
        }
        if (search != null) {
            overrides.put(SearchSettings.URL.name(), search);
        }
        return overrides;
    }
}
