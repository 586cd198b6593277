package io.millrace.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) started in this JVM on
 * 127.0.0.1, with its log directory kept between runs.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CLUSTER_ID = "MillraceLocalStack0001";

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafka(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * A second listener that takes SASL_SSL only, as managed Kafka services do: TLS with the given key store,
     * SCRAM-SHA-256 with one user (created when the log directory is formatted).
     */
    public record SecureListener(int port, Path keyStore, String keyStorePassword, String user, String password) {}

    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) throws Exception {
        return start(dataDir, port, controllerPort, null);
    }

    /** @param secure a SASL_SSL listener besides the plaintext one, or null */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, SecureListener secure) throws Exception {
        Ports.requireFree("Kafka", port, "--kafka-port");
        Ports.requireFree("Kafka's controller", controllerPort, "--kafka-controller-port");
        Files.createDirectories(dataDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                + (secure == null ? "" : ",SASL_SSL://127.0.0.1:" + secure.port()));
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port
                + (secure == null ? "" : ",SASL_SSL://127.0.0.1:" + secure.port()));
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (secure == null ? "" : ",SASL_SSL:SASL_SSL"));
        if (secure != null) {
            Ports.requireFree("Kafka's SASL_SSL listener", secure.port(), "--kafka-secure-port");
            props.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
            props.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            props.put("listener.name.sasl_ssl.ssl.keystore.location", secure.keyStore().toString());
            props.put("listener.name.sasl_ssl.ssl.keystore.password", secure.keyStorePassword());
            props.put("listener.name.sasl_ssl.ssl.key.password", secure.keyStorePassword());
            props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        }
        props.put("log.dirs", dataDir.toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Keep inputs for verify and replays; a local stack is small.
        props.put("log.retention.hours", "-1");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(dataDir, secure);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, port);
    }

    private static void format(Path dataDir, SecureListener secure) throws Exception {
        Formatter formatter = new Formatter();
        if (secure != null) {
            formatter.setScramArguments(List.of("SCRAM-SHA-256=[name=" + secure.user() + ",password=" + secure.password() + "]"));
        }
        formatter
                .setNodeId(1)
                .setClusterId(CLUSTER_ID)
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
    }
}
