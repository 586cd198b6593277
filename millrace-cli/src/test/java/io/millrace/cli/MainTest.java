package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: help lists every command, per-pipeline config and generators, clear errors. */
class MainTest {

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cli = Main.commandLine();
        java.io.PrintWriter writer = new java.io.PrintWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        cli.setOut(writer);
        cli.setErr(writer);
        assertThat(cli.execute(args)).isEqualTo(expectedExit);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommand() {
        String help = run(0, "--help");

        assertThat(help).contains("up", "down", "status", "gen", "run", "verify", "demo", "sql", "config", "reset",
                "tail", "bench", "chaos");
    }

    @Test
    void genHasAGeneratorForEveryKafkaPipeline() {
        String help = run(0, "gen", "--help");

        assertThat(help).contains("market", "orders", "payments", "stocks");
        assertThat(run(0, "gen", "payments", "--help")).contains("10·d", "--late-fraction", "--bad-fraction", "--close");
    }

    @Test
    void configOfEachPipelineShowsItsOwnSettings() {
        assertThat(run(0, "config", "orders")).contains("aggregate.distinct", "analytics-results", "30s");
        assertThat(run(0, "config", "payments")).contains("transactions_aggregate", "input.timestamp-zone", "3s");
        assertThat(run(0, "config", "moving-averages", "--set", "output.mode=update"))
                .contains("window.slide", "stocks_averages", "update", "(command line)");
    }

    @Test
    void anInvalidSettingValueIsAClearErrorNamingTheKey() {
        String out = run(1, "config", "moving-averages", "--set", "output.mode=sometimes");

        assertThat(out).contains("output.mode");
    }

    @Test
    void configListsEverySettingWithItsEnvironmentVariable() {
        String config = run(0, "config", "market", "--set", "window.size=5min");

        assertThat(config).contains("window.size", "5min", "(command line)", "MILLRACE_WINDOW_SIZE",
                "sink.postgres.batch-size", "enrichment.max-wait");
    }

    @Test
    void secretsAreNeverPrintedAndNeverTakenFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path settings = dir.resolve("payments.properties");
        Files.writeString(settings, "kafka.ssl.truststore.password = hunter2\nkafka.security.protocol = SASL_SSL\n");

        String config = run(0, "config", "payments", "--config", settings.toString());
        assertThat(config).contains("kafka.ssl.truststore.password", "****", "SASL_SSL", "kafka.client-config")
                .doesNotContain("hunter2");

        String refused = run(1, "config", "payments", "--set", "kafka.sasl.jaas-config=PlainLoginModule required password=x;");
        assertThat(refused).contains("kafka.sasl.jaas-config", "is a secret", "MILLRACE_KAFKA_SASL_JAAS_CONFIG")
                .doesNotContain("password=x");
    }

    @Test
    void anUnknownPipelineIsAClearError() {
        assertThat(Main.execute("run", "nope")).isEqualTo(1);
    }
}
