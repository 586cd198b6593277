package io.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The local Redis server: data kept across restarts, a server still running on the data directory stopped first. */
class LocalRedisITCase {

    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path home;

    @Test
    void keepsWhatWasWrittenAcrossARestartOnTheSameDataDirectory() throws Exception {
        Path data = home.resolve("redis");
        int port = Ports.findFree();
        try (LocalRedis redis = LocalRedis.start(data, port); Jedis client = client(port)) {
            assertThat(client.configGet("appendonly")).containsEntry("appendonly", "yes");
            assertThat(client.configGet("appendfsync")).containsEntry("appendfsync", "everysec");
            assertThat(client.configGet("bind")).containsEntry("bind", "127.0.0.1");
            assertThat(Path.of(client.configGet("dir").get("dir"))).isEqualTo(data.toRealPath());
            assertThat(redis.serverPid()).isPresent();
            client.set("greeting", "hello");
            client.hset("trade:1", Map.of("symbol", "ACME", "price", "12.5"));
            client.zadd("leaders", 3.0, "ACME");
        }
        assertThat(LocalRedis.serverPid(data)).as("the pid file is gone after a clean stop").isEmpty();

        try (LocalRedis redis = LocalRedis.start(data, port); Jedis client = client(port)) {
            assertThat(client.get("greeting")).isEqualTo("hello");
            assertThat(client.hgetAll("trade:1")).isEqualTo(Map.of("symbol", "ACME", "price", "12.5"));
            assertThat(client.zscore("leaders", "ACME")).isEqualTo(3.0);
        }
    }

    @Test
    void aSecondStartOnARunningDataDirectoryStopsTheServerThatRunsThere() throws Exception {
        Path data = home.resolve("redis");
        int firstPort = Ports.findFree();
        try (LocalRedis first = LocalRedis.start(data, firstPort)) {
            long firstPid = first.serverPid().orElseThrow();
            try (Jedis client = client(firstPort)) {
                client.set("written-by", "first");
            }
            int secondPort = Ports.findFree();
            try (LocalRedis second = LocalRedis.start(data, secondPort); Jedis client = client(secondPort)) {
                assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
                assertThat(second.serverPid()).isPresent().isNotEqualTo(Optional.of(firstPid));
                assertThat(client.get("written-by")).isEqualTo("first");
            }
        }
    }

    @Test
    void aServerOrphanedByAKilledJvmIsStoppedBeforeTheNextStart() throws Exception {
        Path data = home.resolve("redis");
        int port = Ports.findFree();
        Process owner = new ProcessBuilder(List.of(javaBinary(), "-cp", testClasspath(), LocalRedisOwner.class.getName(),
                data.toString(), Integer.toString(port))).redirectErrorStream(true).start();
        long orphanPid;
        try {
            orphanPid = reportedPid(owner);
            try (Jedis client = client(port)) {
                client.set("survivor", "yes");
            }
        } finally {
            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs, the server is left behind
            owner.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("the orphaned server").contains(true);
        // The killed JVM could not delete the server binary it unpacked; this test does, once the server is gone.
        Optional<Path> orphanBinary = ProcessHandle.of(orphanPid).flatMap(p -> p.info().command()).map(Path::of);

        try (LocalRedis redis = LocalRedis.start(data, port); Jedis client = client(port)) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(redis.serverPid()).isPresent().isNotEqualTo(Optional.of(orphanPid));
            assertThat(client.get("survivor")).isEqualTo("yes");
        } finally {
            ProcessHandle.of(orphanPid).ifPresent(ProcessHandle::destroyForcibly);
            if (orphanBinary.isPresent() && orphanBinary.get().getFileName().toString().startsWith("redis-server")) {
                Files.deleteIfExists(orphanBinary.get());
                Files.deleteIfExists(orphanBinary.get().getParent());
            }
        }
    }

    @Test
    void stopOrphanLeavesAStalePidFileAlone() throws Exception {
        Path data = Files.createDirectories(home.resolve("redis"));
        // This JVM's pid: alive, but not a Redis server, so it must not be signalled.
        Files.writeString(data.resolve(LocalRedis.PID_FILE), Long.toString(ProcessHandle.current().pid()));

        assertThat(LocalRedis.stopOrphan(data)).isFalse();
    }

    @Test
    void aTakenPortIsRefusedWithTheFlagThatChangesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalRedis.start(home.resolve("redis"), taken.getLocalPort()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Redis cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--redis-port");
        }
    }

    private static Jedis client(int port) {
        return new Jedis("127.0.0.1", port);
    }

    private static long reportedPid(Process owner) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Long> pid = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("redis-pid ")) {
                        return Long.parseLong(line.substring("redis-pid ".length()).trim());
                    }
                }
                throw new IllegalStateException("the owner JVM exited with " + owner.waitFor() + " before starting Redis");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return pid.get(Await.scaled(START).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
