package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A Redis endpoint: host, port, the default user's password (empty for none) and the logical database; the
 * password never appears in {@link #toString()}.
 */
public record RedisConnection(String host, int port, String password, int database) implements Serializable {

    public RedisConnection {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Redis host is empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Redis port " + port + " is not a TCP port");
        }
        if (database < 0) {
            throw new IllegalArgumentException("Redis database " + database + " is negative");
        }
    }

    /** A connected client; {@code timeout} bounds both connecting and waiting for a reply. */
    public Jedis open(Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .database(database)
                .clientName("millrace");
        if (password != null && !password.isEmpty()) {
            config.password(password);
        }
        Jedis jedis = new Jedis(new HostAndPort(host, port), config.build());
        try {
            // Fail here, inside the caller's retry loop, rather than on the first command of a flush.
            jedis.ping();
            return jedis;
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "RedisConnection[host=" + host + ", port=" + port + ", password="
                + (password == null || password.isEmpty() ? "(none)" : "****") + ", database=" + database + "]";
    }
}
