package io.millrace.config;

/** Where a pipeline's Redis is: the keys every pipeline that writes Redis declares, and the connection they make. */
public final class RedisSettings {

    public static final ConfigKey<String> HOST = ConfigKey.string("redis.host", "127.0.0.1", "Redis host");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("redis.port", 16379, "Redis port");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("redis.password",
            "Redis password (secret: the MILLRACE_REDIS_PASSWORD environment variable or a file only)");
    public static final ConfigKey<Integer> DATABASE = ConfigKey.integer("redis.database", 0, "Redis database number");

    private RedisSettings() {}

    public static void declare(ConfigKeys set) {
        set.add(HOST);
        set.add(PORT);
        set.add(PASSWORD);
        set.add(DATABASE);
    }

    public static RedisConnection connection(Settings s) {
        try {
            return new RedisConnection(s.get(HOST), s.get(PORT), s.get(PASSWORD), s.get(DATABASE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (settings redis.host, redis.port, redis.database)");
        }
    }
}
