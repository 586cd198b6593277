package io.millrace.stack;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code millrace <args>} as a separate JVM with this JVM's classpath and options, in its own
 * session (a Ctrl-C in the terminal does not reach it), output appended to a log file under the home.
 */
public final class MillraceProcess {

    private MillraceProcess() {}

    public static Process start(MillraceHome home, String logName, List<String> args) throws IOException {
        Files.createDirectories(home.logs());
        Path output = home.logs().resolve(logName + ".out");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xmx")) {
                command.add(arg);
            }
        }
        command.add("-Xmx3g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.millrace.cli.Main");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("MILLRACE_HOME", home.root().toString());
        return builder.start();
    }

    public static String tail(MillraceHome home, String logName, int lines) {
        Path file = home.logs().resolve(logName + ".out");
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output in " + file + ")";
        }
    }
}
