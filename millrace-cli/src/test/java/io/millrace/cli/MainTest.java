package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Main());
        java.io.PrintWriter writer = new java.io.PrintWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        cli.setOut(writer);
        cli.setErr(writer);
        assertThat(cli.execute(args)).isEqualTo(expectedExit);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommand() {
        String help = run(0, "--help");

        assertThat(help).contains("up", "down", "status", "gen", "run", "verify", "demo", "sql", "config", "reset");
    }

    @Test
    void configListsEverySettingWithItsEnvironmentVariable() {
        String config = run(0, "config", "market", "--set", "window.size=5min");

        assertThat(config).contains("window.size", "5min", "(command line)", "MILLRACE_WINDOW_SIZE",
                "sink.postgres.batch-size", "enrichment.max-wait");
    }

    @Test
    void anUnknownPipelineIsAClearError() {
        assertThat(Main.execute("run", "nope")).isEqualTo(1);
    }
}
