package io.millrace.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How every Kafka client of a pipeline connects: the bootstrap servers and the standard client security
 * settings (TLS, SASL), from a client properties file ({@code kafka.client-config}, the file Kafka's own tools
 * take) and/or from settings. Secrets (JAAS config, key and store passwords) come only from the environment
 * or a file, and are never printed.
 */
public final class KafkaClientSettings {

    public static final ConfigKey<String> CLIENT_CONFIG = ConfigKey.string("kafka.client-config", "",
            "a Kafka client properties file (as Kafka's own tools take): security.protocol, sasl.*, ssl.*; secrets "
                    + "may be written in it; settings below override it");
    public static final ConfigKey<String> SECURITY_PROTOCOL = ConfigKey.string("kafka.security.protocol", "",
            "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (empty: the client config file's, else PLAINTEXT)");
    public static final ConfigKey<String> SASL_MECHANISM = ConfigKey.string("kafka.sasl.mechanism", "",
            "SASL mechanism, e.g. PLAIN (Confluent Cloud API keys), SCRAM-SHA-256, SCRAM-SHA-512");
    public static final ConfigKey<String> SASL_JAAS_CONFIG = ConfigKey.secret("kafka.sasl.jaas-config",
            "SASL login, e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username=\"KEY\" "
                    + "password=\"SECRET\"; (secret: environment or file only)");
    public static final ConfigKey<String> SSL_TRUSTSTORE_LOCATION = ConfigKey.string("kafka.ssl.truststore.location", "",
            "trust store of the brokers' certificates (empty: the JVM's default trust store)");
    public static final ConfigKey<String> SSL_TRUSTSTORE_PASSWORD = ConfigKey.secret("kafka.ssl.truststore.password",
            "password of the trust store (secret: environment or file only)");
    public static final ConfigKey<String> SSL_KEYSTORE_LOCATION = ConfigKey.string("kafka.ssl.keystore.location", "",
            "key store with this client's certificate, for brokers that authenticate clients by TLS");
    public static final ConfigKey<String> SSL_KEYSTORE_PASSWORD = ConfigKey.secret("kafka.ssl.keystore.password",
            "password of the key store (secret: environment or file only)");
    public static final ConfigKey<String> SSL_KEY_PASSWORD = ConfigKey.secret("kafka.ssl.key.password",
            "password of the key in the key store (secret: environment or file only)");

    /** Each setting and the Kafka client property it sets. */
    private static final Map<ConfigKey<String>, String> PROPERTIES = new LinkedHashMap<>();

    static {
        PROPERTIES.put(SECURITY_PROTOCOL, "security.protocol");
        PROPERTIES.put(SASL_MECHANISM, "sasl.mechanism");
        PROPERTIES.put(SASL_JAAS_CONFIG, "sasl.jaas.config");
        PROPERTIES.put(SSL_TRUSTSTORE_LOCATION, "ssl.truststore.location");
        PROPERTIES.put(SSL_TRUSTSTORE_PASSWORD, "ssl.truststore.password");
        PROPERTIES.put(SSL_KEYSTORE_LOCATION, "ssl.keystore.location");
        PROPERTIES.put(SSL_KEYSTORE_PASSWORD, "ssl.keystore.password");
        PROPERTIES.put(SSL_KEY_PASSWORD, "ssl.key.password");
    }

    private KafkaClientSettings() {}

    /** Declares the connection keys (bootstrap servers, client config file, security) in {@code set}. */
    public static void declare(ConfigKeys set) {
        set.add(CommonSettings.KAFKA_BOOTSTRAP_SERVERS);
        set.add(CLIENT_CONFIG);
        PROPERTIES.keySet().forEach(set::add);
    }

    /** The keys {@link #declare} adds, for commands that need only a Kafka connection. */
    public static List<ConfigKey<?>> keys() {
        ConfigKeys set = new ConfigKeys();
        declare(set);
        return set.all();
    }

    /** The connection: bootstrap servers, then the client config file's properties, then the settings above. */
    public static KafkaConnection read(Settings s) {
        Map<String, String> properties = new LinkedHashMap<>();
        String file = s.get(CLIENT_CONFIG);
        if (!file.isBlank()) {
            Properties loaded = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                loaded.load(reader);
            } catch (IOException e) {
                throw new ConfigException("config key '" + CLIENT_CONFIG.name() + "': cannot read the Kafka client "
                        + "config file " + file + ": " + e.getMessage());
            }
            loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name).strip()));
            properties.remove("bootstrap.servers");
        }
        PROPERTIES.forEach((key, property) -> {
            String value = s.get(key);
            if (!value.isBlank()) {
                properties.put(property, value);
            }
        });
        return new KafkaConnection(s.get(CommonSettings.KAFKA_BOOTSTRAP_SERVERS), properties);
    }
}
