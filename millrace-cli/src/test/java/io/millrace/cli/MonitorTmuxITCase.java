package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.millrace.config.Settings;
import io.millrace.e2e.LocalStackExtension;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code millrace monitor payments} on a real pseudo-terminal: a detached tmux session of fixed size shows the full
 * screen with live figures of a running pipeline fed by its generator; {@code q} quits with exit code 0 and leaves the
 * terminal's normal screen (the monitor's screen is gone).
 */
class MonitorTmuxITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    private static final Pattern INPUT_RATE = Pattern.compile("input\\s+([0-9][0-9,.]*)/s");

    @TempDir
    Path dir;

    private final String socket = "millrace-it-" + ProcessHandle.current().pid();

    @Test
    void shouldShowLiveFiguresUnderTmuxAndRestoreTheTerminalOnQ() throws Exception {
        assumeTrue(run("tmux", "-V").exitCode == 0, "tmux is not installed (apt-get install tmux; .ci/run does)");
        PipelineDefinition<?> definition = Pipelines.require("payments");
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "checkpoint.dir", STACK.checkpoints("payments-monitor").toUri().toString(),
                "checkpoint.interval", "1s",
                "topic.input", "monitor-in",
                "topic.output", "monitor-out",
                "topic.late", "monitor.late",
                "topic.dlq", "monitor.dlq",
                "source.group-id", "it-monitor"));
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("kafka.bootstrap-servers", STACK.kafka());
        Pipeline pipeline = definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), all));
        int webPort = Ports.findFree();
        LocalFlink.LocalJob job = LocalPipelineJob.start(pipeline, webPort, false, new PrintWriter(System.out, true));
        AtomicBoolean stop = new AtomicBoolean();
        Thread generator = new Thread(() -> {
            EventGenerator events = pipeline.generator(new GeneratorOptions(3, 300, System.currentTimeMillis(), 0.1,
                    Duration.ofSeconds(3), 0, pipeline.lateBy(), 0.01),
                    Settings.defaults(definition.generatorSpec().options().all()));
            try (GeneratorOutput output = pipeline.generatorOutput()) {
                GeneratorRun.run(events, output, 300, 0, Duration.ofMinutes(5), (n, t) -> { }, stop::get);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "monitor-it-generator");
        generator.start();
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "monitor", "payments",
                    "--flink-url", "http://127.0.0.1:" + webPort, "--kafka", STACK.kafka()));
            settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
            // A script, not the command itself: tmux refuses commands as long as a test classpath.
            Path script = dir.resolve("monitor.sh");
            Files.writeString(script, "export MILLRACE_HOME=" + quote(STACK.home().root().toString()) + "\n"
                    + String.join(" ", command.stream().map(MonitorTmuxITCase::quote).toList()) + "\n"
                    + "echo MONITOR-EXITED $?\nsleep 300\n");
            Result session = run("tmux", "-L", socket, "new-session", "-d", "-s", "monitor", "-x", "140", "-y", "50",
                    "sh " + quote(script.toString()));
            assertThat(session.exitCode).as(session.output).isZero();

            String screen = Await.until("the monitor to show a non-zero input rate", Duration.ofSeconds(90),
                    Duration.ofSeconds(1), this::capture, s -> inputRate(s) > 0);
            assertThat(screen).contains("millrace monitor", "q quit", "payments", "monitor-out", "monitor.late",
                    "monitor.dlq", "checkpoint", "watermark delay");

            run("tmux", "-L", socket, "send-keys", "-t", "monitor", "q");
            String after = Await.until("the monitor to quit", Duration.ofSeconds(20), Duration.ofMillis(500),
                    this::capture, s -> s.contains("MONITOR-EXITED"));
            assertThat(after).contains("MONITOR-EXITED 0");
            assertThat(after).as("the normal screen is back: no monitor left on it").doesNotContain("q quit")
                    .doesNotContain("watermark delay");
        } finally {
            run("tmux", "-L", socket, "kill-server");
            stop.set(true);
            generator.join(10_000);
            job.client().cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private String capture() throws IOException, InterruptedException {
        return run("tmux", "-L", socket, "capture-pane", "-p", "-t", "monitor").output;
    }

    /** The input rate on the screen, or 0 if none is shown yet. */
    static double inputRate(String screen) {
        Matcher m = INPUT_RATE.matcher(screen);
        return m.find() ? Double.parseDouble(m.group(1).replace(",", "")) : 0;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }
}
