package io.millrace.stack;

import java.nio.file.Path;

/**
 * A stand-in for a stack process, run in its own JVM by {@link LocalRedisITCase}: starts a {@link LocalRedis},
 * reports the server's pid on stdout and waits to be killed.
 */
public final class LocalRedisOwner {

    private LocalRedisOwner() {}

    public static void main(String[] args) throws Exception {
        LocalRedis redis = LocalRedis.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("redis-pid " + redis.serverPid().orElse(-1L));
        System.out.flush();
        // Blocks until the test kills this JVM; stdin stays open as long as the test holds the pipe.
        while (System.in.read() >= 0) {
            // keep waiting
        }
    }
}
