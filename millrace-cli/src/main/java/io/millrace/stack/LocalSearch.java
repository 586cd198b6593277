package io.millrace.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.config.SearchConnection;
import io.millrace.sink.SearchClient;
import io.millrace.sink.SearchException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node OpenSearch 2.19 on 127.0.0.1, run in its own JVM (OpenSearch's dependencies must not meet
 * Flink's and Kafka's on one classpath) from the jars the build copies to {@code millrace-search-node/target/lib}.
 * Its data, log and pid file live in the data directory, so a node orphaned by a killed stack can be stopped.
 */
public final class LocalSearch implements AutoCloseable {
    /** Written when the node's JVM is started, removed when it is stopped. */
    static final String PID_FILE = "search.pid";
    /** The node's standard output and error. */
    static final String LOG_FILE = "search.log";
    static final String MAIN_CLASS = "io.millrace.searchnode.SearchNode";
    /** Where the launcher says the node's jars are; else they are found next to this module's build output. */
    public static final String NODE_LIB_PROPERTY = "millrace.search.node.lib";
    public static final String NODE_LIB_ENV = "MILLRACE_SEARCH_NODE_LIB";
    public static final int DEFAULT_PORT = 19200;

    /** 30–40 s is usual on a busy machine; a slow disk or a full CPU can double it. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final Path dataDir;
    private final int port;
    private Process process;

    private LocalSearch(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    public static LocalSearch start(Path dataDir, int port) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        stopOrphan(dir);
        Ports.requireFree("OpenSearch", port, "--search-port");
        Files.createDirectories(dir);
        return new LocalSearch(dir, port, launch(dir, port));
    }

    private static Process launch(Path dir, int port) throws IOException {
        Path lib = nodeLib();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Enough for a local index of a few million small documents; the node's own default is half the RAM.
                "-Xms512m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
                "-cp", lib + File.separator + "*", MAIN_CLASS, dir.toString(), Integer.toString(port)));
        Path log = dir.resolve(LOG_FILE);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Files.writeString(dir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.UTF_8);
        try {
            awaitReady(process, port, log);
        } catch (IOException | RuntimeException e) {
            stop(process);
            Files.deleteIfExists(dir.resolve(PID_FILE));
            throw e;
        }
        return process;
    }

    /** Waits for {@code GET /_cluster/health} to answer yellow or green. */
    private static void awaitReady(Process process, int port, Path log) throws IOException {
        SearchClient client = new SearchClient(SearchConnection.of(url(port)), Duration.ofSeconds(5));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("OpenSearch on 127.0.0.1:" + port + " exited with code " + process.exitValue()
                        + " while starting; see " + log + ":\n" + tail(log, 15));
            }
            try {
                JsonNode health = client.health();
                String status = health.path("status").asText();
                if ("green".equals(status) || "yellow".equals(status)) {
                    return;
                }
                last = "status " + status;
            } catch (SearchException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for OpenSearch on 127.0.0.1:" + port, e);
            }
        }
        throw new IOException("OpenSearch did not become ready on 127.0.0.1:" + port + " within "
                + START_TIMEOUT.toSeconds() + " s (last: " + last + "); see " + log);
    }

    /**
     * The directory of the node's jars: {@value #NODE_LIB_PROPERTY} or {@value #NODE_LIB_ENV} (set by the
     * launcher), else {@code millrace-search-node/target/lib} next to the module this class was loaded from
     * (its jar or its classes directory, both in {@code millrace-cli/target}), which is where tests find it.
     */
    public static Path nodeLib() {
        String configured = System.getProperty(NODE_LIB_PROPERTY, System.getenv(NODE_LIB_ENV));
        Path lib;
        if (configured != null && !configured.isBlank()) {
            lib = Path.of(configured).toAbsolutePath();
        } else {
            try {
                Path location = Path.of(LocalSearch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                lib = location.getParent().getParent().resolveSibling("millrace-search-node").resolve("target").resolve("lib");
            } catch (URISyntaxException | RuntimeException e) {
                throw new StackException("cannot tell where the search node's jars are; set " + NODE_LIB_ENV);
            }
        }
        if (!Files.isRegularFile(lib.resolve("millrace-search-node.jar"))) {
            throw new StackException("the search node is not built: no millrace-search-node.jar in " + lib
                    + "; build it with mvn -q -DskipTests package (./millrace does), or set " + NODE_LIB_ENV);
        }
        return lib;
    }

    /** The node's pid, read from the pid file in {@code dataDir}. */
    public static Optional<Long> serverPid(Path dataDir) {
        try {
            String text = Files.readString(dataDir.resolve(PID_FILE), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A node left running by a stack process that was killed (kill -9 does not reach the child): stop it with
     * SIGTERM, on which it closes its indices, so this start owns the data directory (OpenSearch locks it).
     *
     * @return whether a node was running on {@code dataDir} and was stopped
     */
    public static boolean stopOrphan(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        Optional<ProcessHandle> orphan = serverPid(dir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(process -> servesDirectory(process, dir));
        if (orphan.isEmpty()) {
            return false;
        }
        ProcessHandle process = orphan.get();
        try {
            process.destroy();
            try {
                process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(dir.resolve(PID_FILE));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the previous OpenSearch node " + process.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the previous OpenSearch node " + process.pid() + " on " + dir + " did not stop", e);
        }
    }

    /**
     * Whether {@code process} is a search node on {@code dir}: a pid file outlives a node killed with SIGKILL,
     * and its pid may since belong to something else that must not be signalled.
     */
    private static boolean servesDirectory(ProcessHandle process, Path dir) {
        List<String> arguments = process.info().arguments().map(List::of).orElse(List.of());
        return arguments.contains(MAIN_CLASS) && arguments.contains(dir.toString());
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The node's base URL. */
    public String url() {
        return url(port);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return dataDir.resolve(LOG_FILE);
    }

    public synchronized Optional<Long> serverPid() {
        return process != null && process.isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the node (its data stays); {@link #start()} brings it back on the same port and data. */
    public synchronized void stop() throws IOException {
        if (process != null) {
            stop(process);
            process = null;
            Files.deleteIfExists(dataDir.resolve(PID_FILE));
        }
    }

    /** Starts the node again after {@link #stop()}, and waits until it is ready. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("OpenSearch on " + url() + " is running");
        }
        Ports.requireFree("OpenSearch", port, "--search-port");
        process = launch(dataDir, port);
    }

    /** Stops the node and starts it again on the same data: what a node crash and its restart look like. */
    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    private static void stop(Process process) throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping OpenSearch", e);
        }
    }

    /** The last {@code lines} lines of the node's log, for error messages. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
