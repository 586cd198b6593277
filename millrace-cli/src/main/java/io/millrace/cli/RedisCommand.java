package io.millrace.cli;

import io.millrace.config.RedisConnection;
import io.millrace.config.RedisSettings;
import io.millrace.config.Settings;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/** {@code millrace redis PATTERN}: the keys a pipeline wrote to Redis, with their values. */
@Command(name = "redis", mixinStandardHelpOptions = true,
        description = "Print Redis keys matching glob patterns with their values (a hash's fields, a sorted set's "
                + "members by rank with scores, a string), e.g. ./millrace redis 'stats:*'.")
final class RedisCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATTERN", arity = "0..*", description = "key patterns (default: *)")
    List<String> patterns = new ArrayList<>();

    @Option(names = {"-n", "--keys"}, defaultValue = "20", description = "at most this many keys per pattern, the last "
            + "in name order (default: ${DEFAULT-VALUE})")
    int keys;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Jedis redis = connection(MillraceHome.resolve()).open(Duration.ofSeconds(10))) {
            for (String pattern : patterns.isEmpty() ? List.of("*") : patterns) {
                List<String> matching = scan(redis, pattern);
                if (matching.isEmpty()) {
                    out.println("(no key matches " + pattern + ")");
                }
                for (String key : matching.subList(Math.max(0, matching.size() - keys), matching.size())) {
                    print(out, redis, key);
                }
                if (matching.size() > keys) {
                    out.printf("(%,d keys match %s; the last %d shown)%n", matching.size(), pattern, keys);
                }
            }
        }
        out.flush();
        return 0;
    }

    private RedisConnection connection(MillraceHome home) {
        Map<String, String> base = new LinkedHashMap<>();
        StackInfo.read(home.stackFile()).live().redisService().ifPresent(r -> {
            base.put(RedisSettings.HOST.name(), r.host());
            base.put(RedisSettings.PORT.name(), Integer.toString(r.port()));
        });
        Map<String, String> overrides = new LinkedHashMap<>();
        connection.asOverrides().forEach((k, v) -> {
            if (k.startsWith("redis.")) {
                overrides.put(k, v);
            }
        });
        List<io.millrace.config.ConfigKey<?>> keys = List.of(RedisSettings.HOST, RedisSettings.PORT,
                RedisSettings.PASSWORD, RedisSettings.DATABASE);
        Settings settings = Settings.layered(keys, base, "the local stack (" + home.stackFile() + ")", null,
                System.getenv(), overrides);
        if (base.isEmpty() && "default".equals(settings.origin(RedisSettings.PORT))) {
            throw new UserError("the local stack's Redis is not running; start it with ./millrace up or pass --redis "
                    + "HOST:PORT (or MILLRACE_REDIS_HOST / MILLRACE_REDIS_PORT)");
        }
        return RedisSettings.connection(settings);
    }

    private static List<String> scan(Jedis redis, String pattern) {
        TreeMap<String, Boolean> found = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            page.getResult().forEach(k -> found.put(k, true));
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return new ArrayList<>(found.keySet());
    }

    private static void print(PrintWriter out, Jedis redis, String key) {
        String type = redis.type(key);
        switch (type) {
            case "hash" -> {
                out.println(key + "  (hash)");
                new TreeMap<>(redis.hgetAll(key)).forEach((f, v) -> out.printf("    %-28s %s%n", f, v));
            }
            case "zset" -> {
                out.println(key + "  (sorted set, highest score first)");
                int rank = 1;
                for (Tuple t : redis.zrevrangeWithScores(key, 0, -1)) {
                    out.printf("    %3d. %-40s %s%n", rank++, t.getElement(), score(t.getScore()));
                }
            }
            case "string" -> out.println(key + "  " + redis.get(key));
            case "none" -> out.println(key + "  (gone)");
            default -> out.println(key + "  (" + type + ")");
        }
    }

    private static String score(double score) {
        return score == Math.rint(score) && Math.abs(score) < 1e15 ? Long.toString((long) score) : Double.toString(score);
    }
}
