package io.millrace.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * A real Redis server for tests, on 127.0.0.1 and a free port, with an append-only file in a data directory
 * so that {@link #stop()} then {@link #start()} (an outage) keeps every acknowledged write.
 */
public final class RedisTestServer implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private RedisTestServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static RedisTestServer start(Path dataDir) throws IOException {
        int port = freePort();
        RedisServer server = RedisServer.builder()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir \"" + dataDir.toAbsolutePath() + "\"")
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                .build();
        RedisTestServer redis = new RedisTestServer(server, port);
        redis.start();
        return redis;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the server (again) on the same port and data directory. */
    public void start() {
        server.start();
    }

    /** Stops the server the way an operator would (SIGTERM): clients see their connections refused. */
    public void stop() {
        server.stop();
    }

    public boolean isRunning() {
        return server.isActive();
    }

    public int port() {
        return port;
    }

    public Jedis client() {
        return new Jedis("127.0.0.1", port);
    }

    @Override
    public void close() {
        if (server.isActive()) {
            server.stop();
        }
    }
}
