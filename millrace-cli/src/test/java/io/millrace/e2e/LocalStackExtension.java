package io.millrace.e2e;

import io.millrace.stack.EmbeddedKafka;
import io.millrace.stack.LocalPostgres;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real embedded Kafka broker and PostgreSQL server on free ports in a temp directory, once per test
 * class (a static field) or once per test (an instance field); PostgreSQL can be stopped and started again
 * (same port, same data) to test outages.
 */
public final class LocalStackExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private MillraceHome home;
    private EmbeddedKafka kafka;
    private LocalPostgres postgres;
    private int postgresPort;

    private final boolean perTest;

    /** One stack for the whole class: register it in a static field. */
    public LocalStackExtension() {
        this(false);
    }

    /** @param perTest a fresh stack for every test: register it in an instance field */
    public LocalStackExtension(boolean perTest) {
        this.perTest = perTest;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (perTest) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!perTest) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (!perTest) {
            stop();
        }
    }

    private void start() throws Exception {
        home = new MillraceHome(Files.createTempDirectory("millrace-it-"));
        postgresPort = Ports.findFree();
        kafka = EmbeddedKafka.start(home.kafkaData(), Ports.findFree(), Ports.findFree());
        startPostgres();
    }

    private void stop() throws Exception {
        stopPostgres();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public void startPostgres() throws Exception {
        postgres = LocalPostgres.start(home.postgresData(), postgresPort);
    }

    public MillraceHome home() {
        return home;
    }

    public String kafka() {
        return kafka.bootstrapServers();
    }

    public String postgresUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    /** The URL of another database on this stack's PostgreSQL server. */
    public String postgresUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    public Path checkpoints(String pipeline) {
        return home.checkpoints(pipeline);
    }
}
