package io.millrace.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.embedded.RedisServer;
import redis.embedded.exceptions.EmbeddedRedisException;

/**
 * A real Redis 7 server (a binary shipped in a Maven Central jar) on 127.0.0.1 with a persistent data
 * directory: the append-only file is on and fsynced every second, so a restart keeps what was written, and
 * the server's pid file lives in the data directory so a server orphaned by a killed JVM can be stopped.
 */
public final class LocalRedis implements AutoCloseable {
    /** Written by the server itself at start-up and removed by it on a clean shutdown. */
    static final String PID_FILE = "redis.pid";

    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final RedisServer server;
    private final Path dataDir;
    private final int port;

    private LocalRedis(RedisServer server, Path dataDir, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
    }

    public static LocalRedis start(Path dataDir, int port) throws IOException {
        Path dir = dataDir.toAbsolutePath();
        stopOrphan(dir);
        Ports.requireFree("Redis", port, "--redis-port");
        Files.createDirectories(dir);
        RedisServer server;
        try {
            server = RedisServer.builder()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + quoted(dir))
                    .setting("pidfile " + quoted(dir.resolve(PID_FILE)))
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    // The append-only file is the one copy of the data; periodic snapshots would only add
                    // disk work and a second file to reason about.
                    .setting("save \"\"")
                    // Protected mode only refuses non-loopback clients of a server without a password; with
                    // this server bound to 127.0.0.1 alone it can never refuse anyone, so it stays at its default.
                    .setting("protected-mode yes")
                    .build();
            server.start();
        } catch (EmbeddedRedisException e) {
            throw new IOException("Redis did not start on 127.0.0.1:" + port + " with data in " + dir + ": "
                    + e.getMessage(), e);
        }
        return new LocalRedis(server, dir, port);
    }

    /** The server's pid, read from the pid file the server keeps in {@code dataDir}. */
    public static Optional<Long> serverPid(Path dataDir) {
        try {
            String text = Files.readString(dataDir.resolve(PID_FILE), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A server left running by a stack process that was killed (kill -9 does not reach the child): stop it
     * with SIGTERM, on which Redis flushes its append-only file and exits, so this start owns the data
     * directory and sees everything the old server acknowledged.
     *
     * @return whether a server was running on {@code dataDir} and was stopped
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
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the previous Redis server " + process.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the previous Redis server " + process.pid() + " on " + dir + " did not stop", e);
        }
    }

    /**
     * Whether {@code process} is a Redis server working in {@code dir}: a pid file outlives a server killed
     * with SIGKILL, and its pid may since belong to something else that must not be signalled.
     */
    private static boolean servesDirectory(ProcessHandle process, Path dir) {
        boolean redis = process.info().command()
                .map(command -> Path.of(command).getFileName().toString().startsWith("redis-server"))
                .orElse(false);
        if (!redis) {
            return false;
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true; // no /proc (not Linux): the command is all there is to go on
        }
        // Redis changes its working directory to its data directory, and /proc shows which one it is.
        try {
            return Files.isSameFile(Path.of("/proc", Long.toString(process.pid()), "cwd"), dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** A path as a double-quoted Redis configuration argument. */
    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public int port() {
        return port;
    }

    public Optional<Long> serverPid() {
        return serverPid(dataDir);
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (EmbeddedRedisException e) {
            throw new IOException("stopping Redis on 127.0.0.1:" + port + " failed: " + e.getMessage(), e);
        }
    }
}
