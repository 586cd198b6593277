package io.millrace.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL server (binaries from Maven Central via zonky) on 127.0.0.1 with a persistent data
 * directory and {@code wal_level=logical} for CDC. Durable commits are switched back on: the library's
 * test-friendly defaults ({@code fsync} and {@code synchronous_commit} off) would let a killed server
 * forget rows a sink was told were committed.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    public static LocalPostgres start(Path dataDir, int port) throws IOException {
        stopOrphan(dataDir);
        Ports.requireFree("PostgreSQL", port, "--postgres-port");
        Files.createDirectories(dataDir.getParent());
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "10")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .start();
        return new LocalPostgres(pg, dataDir);
    }

    /** The postmaster's pid, read from {@code postmaster.pid}. */
    public static Optional<Long> serverPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A server left running by a stack process that was killed (kill -9 does not reach the child):
     * stop it with a fast shutdown (SIGINT) so this start owns the data directory.
     */
    public static boolean stopOrphan(Path dataDir) throws IOException {
        Optional<ProcessHandle> orphan = serverPid(dataDir).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return false;
        }
        long pid = orphan.get().pid();
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            long deadline = System.currentTimeMillis() + 30_000;
            while (orphan.get().isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            if (orphan.get().isAlive()) {
                orphan.get().destroyForcibly();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the previous PostgreSQL server " + pid, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public Optional<Long> serverPid() {
        return serverPid(dataDir);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
