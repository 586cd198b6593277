package io.millrace.config;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Where the Kafka cluster is, and the client settings every client of it needs: every source, sink, admin
 * client, generator and reader is configured from here.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) implements Serializable {

    public KafkaConnection {
        clientProperties = Map.copyOf(clientProperties);
    }

    public KafkaConnection(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** Names the security settings in use, never their secret values. */
    @Override
    public String toString() {
        return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", clientProperties=" + clientProperties.keySet() + "]";
    }

    /** The properties of a client of this cluster, with {@code extra} (client-specific settings) on top. */
    public Map<String, Object> properties(Map<String, ?> extra) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(extra);
        return props;
    }

    /** An admin client whose calls give up after a few seconds, for monitors that poll. */
    public Admin admin() {
        return Admin.create(properties(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000")));
    }

    /** An admin client for status lines and progress checks: a call gives up after {@code timeoutMillis}. */
    public Admin admin(int timeoutMillis) {
        return Admin.create(properties(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMillis),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMillis))));
    }
}
