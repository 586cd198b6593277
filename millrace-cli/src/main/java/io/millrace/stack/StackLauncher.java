package io.millrace.stack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code millrace up} as a background process in its own session (so a Ctrl-C aimed at the
 * terminal does not reach it) and waits until its services are registered and alive.
 */
public final class StackLauncher {

    private StackLauncher() {}

    public static StackInfo startDetached(MillraceHome home, List<String> upArguments, boolean kafka, boolean postgres,
            Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(home.logs());
        Path output = home.logs().resolve("stack.out");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.millrace.cli.Main");
        command.add("up");
        command.addAll(upArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("MILLRACE_HOME", home.root().toString());
        Process process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            StackInfo info = StackInfo.read(home.stackFile()).live();
            if ((!kafka || info.kafka() != null) && (!postgres || info.postgres() != null)) {
                return info;
            }
            if (!process.isAlive()) {
                throw new StackException("the stack process exited with code " + process.exitValue() + ":\n"
                        + tail(output, 15));
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new StackException("the stack did not come up within " + timeout.toSeconds() + " s; see " + output
                + ":\n" + tail(output, 15));
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
