package io.millrace.e2e;

import io.millrace.stack.LocalStack;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts a real local stack (embedded Kafka and PostgreSQL) on free ports in a temp directory, once per test class. */
public final class LocalStackExtension implements BeforeAllCallback, AfterAllCallback {
    private MillraceHome home;
    private LocalStack stack;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = new MillraceHome(Files.createTempDirectory("millrace-it-"));
        stack = LocalStack.start(home, new LocalStack.Options(true, true, Ports.findFree(), Ports.findFree(), Ports.findFree()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stack != null) {
            stack.close();
        }
    }

    public MillraceHome home() {
        return home;
    }

    public String kafka() {
        return stack.kafkaBootstrapServers();
    }

    public String postgresUrl() {
        return stack.postgresJdbcUrl();
    }

    public Path checkpoints(String pipeline) {
        return home.checkpoints(pipeline);
    }
}
