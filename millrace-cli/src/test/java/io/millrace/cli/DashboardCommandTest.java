package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.millrace.stack.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code millrace dashboard}'s errors: one line each, naming the command that fixes it. */
class DashboardCommandTest {

    /** Runs the command line as {@code main} does (with its error handler) and returns what it printed to stderr. */
    private static String errors(int expectedExit, String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args)).isEqualTo(expectedExit);
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noFlinkAnsweringIsOneLineNamingHowToStartAPipeline() throws Exception {
        String err = errors(1, "dashboard", "--flink", "http://127.0.0.1:" + Ports.findFree());

        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("error: ").containsAnyOf("./millrace up", "./millrace run <pipeline>");
    }

    @Test
    void anUnknownPipelineIsOneLineListingTheKnownOnes() {
        String err = errors(1, "dashboard", "nope");

        assertThat(err.lines()).hasSize(1);
        assertThat(err).contains("unknown pipeline 'nope'", "payments");
    }

    @Test
    void noPipelineJobRunningIsOneLineNamingRun() throws Exception {
        // A Flink REST API that knows one running job, not a pipeline's.
        HttpServer flink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        flink.createContext("/jobs/overview", exchange -> {
            byte[] body = "{\"jobs\":[{\"jid\":\"0f\",\"name\":\"someone-else\",\"state\":\"RUNNING\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        flink.start();
        try {
            String err = errors(1, "dashboard", "payments", "--flink", "http://127.0.0.1:" + flink.getAddress().getPort());

            assertThat(err.lines()).hasSize(1);
            assertThat(err).contains("no payments job is running", "someone-else", "./millrace run payments");
        } finally {
            flink.stop(0);
        }
    }
}
