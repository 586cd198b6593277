package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.config.PostgresConnection;
import io.millrace.config.Settings;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.EmbeddedKafka;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.LocalPostgres;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed Kafka the way Confluent Cloud and similar services offer it, and PostgreSQL over TLS: a broker that
 * clients reach only through SASL_SSL (SCRAM-SHA-256 over TLS, with a certificate made for this test), and a
 * pipeline run end to end against it with nothing but a client config file, as Kafka's own tools take it.
 */
class SecureConnectionsITCase {

    private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
    private static final String USER = "millrace";
    private static final String USER_PASSWORD = "scram-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static String secureBootstrap;
    private static Path clientConfig;

    @BeforeAll
    static void startABrokerThatOnlyTakesSaslSsl() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                "-rfc", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        int securePort = Ports.findFree();
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.findFree(), Ports.findFree(),
                new EmbeddedKafka.SecureListener(securePort, keyStore, STORE_PASSWORD, USER, USER_PASSWORD));
        secureBootstrap = "127.0.0.1:" + securePort;
        clientConfig = dir.resolve("client.properties");
        Files.writeString(clientConfig, String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-256",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"" + USER_PASSWORD + "\";",
                "ssl.truststore.location=" + trustStore,
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.password=" + STORE_PASSWORD,
                ""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void paymentsRunsEndToEndOverSaslSslWithAClientConfigFile() throws Exception {
        PipelineDefinition<?> definition = Pipelines.require("payments");
        Pipeline pipeline = definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), Map.of(
                "kafka.bootstrap-servers", secureBootstrap,
                "kafka.client-config", clientConfig.toString(),
                "checkpoint.dir", dir.resolve("checkpoints").toUri().toString(),
                "checkpoint.interval", "1s",
                "parallelism", "2")));
        assertThat(pipeline.config().kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(pipeline.config().kafka().toString()).doesNotContain(USER_PASSWORD).doesNotContain(STORE_PASSWORD);

        // Topics, generator, sources, sinks, offsets and verify: every Kafka client goes through SASL_SSL.
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());
        GeneratorRun.Stats stats;
        var generator = pipeline.generator(new GeneratorOptions(5, 500, System.currentTimeMillis(), 0.1,
                Duration.ofSeconds(3), 0.005, pipeline.lateBy(), 0.01), Settings.defaults(definition.generatorSpec().options().all()));
        try (GeneratorOutput output = pipeline.generatorOutput()) {
            stats = GeneratorRun.run(generator, output, 50_000, 5_000, null, (n, t) -> { }, () -> false);
            GeneratorRun.appendClosing(generator, output, pipeline.closingOffset());
        }
        var job = pipeline.jobs().get(0);
        LocalFlink.LocalJob running = LocalFlink.start(job.name(), 2, Ports.findFree(),
                new CheckpointStore(dir.resolve("checkpoints")), true, job::attach);
        StringWriter report = new StringWriter();
        VerifyResult result;
        try {
            result = pipeline.verify(Await.scaled(Duration.ofSeconds(240)), new PrintWriter(report));
        } finally {
            running.client().cancel().get(120, TimeUnit.SECONDS);
        }
        System.out.println(report);

        assertThat(result.lag()).isZero();
        assertThat(result.differences()).as(report.toString()).isZero();
        assertThat(result.results().actualCount()).isPositive();
        assertThat(result.deadLetters().actualCount()).isEqualTo(stats.count(Kind.BAD)).isPositive();
    }

    @Test
    void postgresSslModeReachesTheDriver() throws Exception {
        int port = Ports.findFree();
        try (LocalPostgres postgres = LocalPostgres.start(dir.resolve("postgres"), port)) {
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            try (Connection plain = new PostgresConnection(url, LocalPostgres.USER, "", "disable", "").open()) {
                assertThat(plain.isValid(5)).isTrue();
            }
            // The local server has no TLS: a client that requires it must refuse to connect in the clear.
            assertThatThrownBy(() -> new PostgresConnection(url, LocalPostgres.USER, "", "require", "").open())
                    .isInstanceOf(SQLException.class).hasMessageContaining("SSL");
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
