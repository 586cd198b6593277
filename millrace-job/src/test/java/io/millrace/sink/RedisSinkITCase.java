package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.config.RedisConnection;
import io.millrace.config.RedisSinkOptions;
import io.millrace.testing.Await;
import io.millrace.testing.RedisTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The Redis sink on a MiniCluster at parallelism 2 against a real Redis server: every kind of write, coalescing,
 * atomic sorted-set replaces under a concurrent reader, and outages inside and beyond the retry budget.
 */
class RedisSinkITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration())).build());

    /** 2100-01-01T00:00:00Z: an expiry far enough out that nothing expires during the test. */
    private static final long FAR_FUTURE = 4_102_444_800L;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path dataDir;
    private static RedisTestServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisTestServer.start(dataDir);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        if (!redis.isRunning()) {
            redis.start(); // a failed outage test must not take the other tests down with it
        }
        try (Jedis client = redis.client()) {
            client.flushAll();
        }
    }

    private static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // A failure must fail the test, unless a test asks for restarts.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(conf);
        env.setParallelism(2);
        return env;
    }

    private static <T> RedisSink<T> sink(RedisMapper<T> mapper, RedisSinkOptions options) {
        return new RedisSink<>(new RedisConnection("127.0.0.1", redis.port(), "", 0), mapper, options);
    }

    private static RedisSinkOptions options(int batchSize, Duration flushInterval, int maxRetries) {
        return new RedisSinkOptions(batchSize, flushInterval, maxRetries, Duration.ofMillis(100));
    }

    /** Element i as writes of every kind; the replace goes to one of ten keys, so later elements overwrite it. */
    private static List<RedisWrite> everyKind(Long i) {
        return List.of(
                new RedisWrite.Set("name:" + i, "item-" + i),
                new RedisWrite.ExpireAt("name:" + i, FAR_FUTURE),
                new RedisWrite.HashSet("item:" + i, "square", Long.toString(i * i)),
                new RedisWrite.HashSet("item:" + i, "parity", i % 2 == 0 ? "even" : "odd"),
                new RedisWrite.SortedSetAdd("by-square", "item-" + i, i * i),
                new RedisWrite.SortedSetReplace("latest:" + i % 10, Map.of("item-" + i, (double) i, "next-" + i, i + 1.0)),
                new RedisWrite.Delete("stale:" + i));
    }

    @Test
    void elementsMappedToEveryKindOfWriteEndUpInRedisWithTheirValues() throws Exception {
        try (Jedis client = redis.client()) {
            for (int i = 0; i < 100; i++) {
                client.set("stale:" + i, "to be deleted");
            }
            client.zadd("latest:3", 1.0, "replaced-away");
        }
        StreamExecutionEnvironment env = env();
        List<Long> elements = LongStream.range(0, 100).boxed().toList();
        // One ordered source and a key per replace target: the last element of each group is the last write.
        env.fromData(elements).setParallelism(1)
                .keyBy(i -> i % 10, Types.LONG)
                .sinkTo(sink(RedisSinkITCase::everyKind, options(16, Duration.ofMillis(50), 3))).name("Redis sink");

        env.execute("redis every kind");

        try (Jedis client = redis.client()) {
            for (long i = 0; i < 100; i++) {
                assertThat(client.get("name:" + i)).isEqualTo("item-" + i);
                assertThat(client.expireTime("name:" + i)).as("expiry of name:%d", i).isEqualTo(FAR_FUTURE);
                assertThat(client.hgetAll("item:" + i))
                        .isEqualTo(Map.of("square", Long.toString(i * i), "parity", i % 2 == 0 ? "even" : "odd"));
                assertThat(client.exists("stale:" + i)).isFalse();
            }
            List<Tuple> bySquare = client.zrangeWithScores("by-square", 0, -1);
            assertThat(bySquare).hasSize(100);
            bySquare.forEach(t -> assertThat(t.getScore())
                    .isEqualTo(Math.pow(Long.parseLong(t.getElement().substring("item-".length())), 2)));
            for (long group = 0; group < 10; group++) {
                long last = 90 + group;
                assertThat(scores(client, "latest:" + group))
                        .isEqualTo(Map.of("item-" + last, (double) last, "next-" + last, last + 1.0));
            }
            assertThat(client.dbSize()).isEqualTo(100 + 100 + 1 + 10);
        }
    }

    @Test
    void manyWritesToOneSlotInOneBatchReachRedisAsOneCommand() throws Exception {
        try (Jedis client = redis.client()) {
            client.configResetStat();
        }
        StreamExecutionEnvironment env = env();
        List<Long> elements = LongStream.rangeClosed(1, 10_000).boxed().toList();
        // No timer and a batch larger than the input: the only flush is the one at end of input.
        env.fromData(elements).setParallelism(1)
                .keyBy(i -> 0L, Types.LONG)
                .sinkTo(sink((Long i) -> List.of(new RedisWrite.HashSet("coalesced", "latest", Long.toString(i)),
                        new RedisWrite.Set("last-seen", Long.toString(i))), options(100_000, Duration.ZERO, 3)))
                .name("Redis sink");

        JobID job = env.execute("redis coalescing").getJobID();

        try (Jedis client = redis.client()) {
            assertThat(client.hget("coalesced", "latest")).isEqualTo("10000");
            assertThat(client.get("last-seen")).isEqualTo("10000");
            String stats = client.info("commandstats");
            assertThat(calls(stats, "hset")).isEqualTo(1);
            assertThat(calls(stats, "set")).isEqualTo(1);
        }
        assertThat(counter(job, "numRecordsSend")).as("writes sent after coalescing").isEqualTo(2);
    }

    @Test
    void aReaderNeverSeesAReplacedSortedSetEmptyOrPartlyWritten() throws Exception {
        int members = 20_000;
        long versions = 40;
        StreamExecutionEnvironment env = env();
        // Slow enough that the reader sees many replaces happen, each flushed on its own (batch size 1).
        DataStream<Long> replaces = env.fromSource(new DataGeneratorSource<>(v -> v, versions,
                RateLimiterStrategy.perSecond(10), Types.LONG), WatermarkStrategy.noWatermarks(), "versions")
                .setParallelism(1);
        replaces.keyBy(v -> 0L, Types.LONG)
                .sinkTo(sink((Long v) -> List.of(new RedisWrite.SortedSetReplace("board", board(v, members))),
                        options(1, Duration.ZERO, 3))).name("Redis sink");

        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<ReaderReport> reader = CompletableFuture.supplyAsync(() -> readBoardUntil(done, members));
        try {
            env.execute("redis atomic replace");
        } finally {
            done.set(true);
        }
        ReaderReport report = reader.get(Await.scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS);

        assertThat(report.violations()).as("what the reader saw in %d reads", report.reads()).isEmpty();
        assertThat(report.versionsSeen()).as("versions the reader saw").hasSizeGreaterThanOrEqualTo(3);
        try (Jedis client = redis.client()) {
            String last = "v" + (versions - 1) + ":";
            assertThat(client.zrange("board", 0, -1)).hasSize(members).allMatch(m -> m.startsWith(last));
        }
    }

    private static Map<String, Double> board(long version, int members) {
        Map<String, Double> board = new HashMap<>();
        for (int m = 0; m < members; m++) {
            board.put("v" + version + ":m" + m, (double) m);
        }
        return board;
    }

    /** What a reader polling the whole sorted set saw. */
    private record ReaderReport(int reads, Set<String> versionsSeen, List<String> violations) {}

    private static ReaderReport readBoardUntil(AtomicBoolean done, int members) {
        int reads = 0;
        Set<String> versions = new TreeSet<>();
        List<String> violations = new ArrayList<>();
        try (Jedis client = redis.client()) {
            while (!done.get() && violations.size() < 5) {
                List<String> board = client.zrange("board", 0, -1);
                reads++;
                if (board.isEmpty()) {
                    if (!versions.isEmpty()) {
                        violations.add("empty after version " + versions);
                    }
                    continue;
                }
                Set<String> seen = board.stream().map(m -> m.substring(0, m.indexOf(':'))).collect(Collectors.toSet());
                versions.addAll(seen);
                if (board.size() != members || seen.size() != 1) {
                    violations.add(board.size() + " members of versions " + seen);
                }
            }
        }
        return new ReaderReport(reads, versions, violations);
    }

    /** Element i writes values of its own (a key, a hash field, a member): the order of elements does not matter. */
    private static List<RedisWrite> outageWrites(Long i) {
        return List.of(
                new RedisWrite.Set("outage:item:" + i, "v" + i),
                new RedisWrite.HashSet("outage:bucket:" + i % 20, Long.toString(i), "v" + i),
                new RedisWrite.SortedSetAdd("outage:items", "i" + i, i));
    }

    private static JobClient startOutageJob(StreamExecutionEnvironment env, long elements, int maxRetries)
            throws Exception {
        env.enableCheckpointing(500);
        // About ten seconds of input, so the outage falls in the middle of the stream.
        env.fromSource(new DataGeneratorSource<>(i -> i, elements, RateLimiterStrategy.perSecond(elements / 10.0),
                        Types.LONG), WatermarkStrategy.noWatermarks(), "elements")
                .sinkTo(sink(RedisSinkITCase::outageWrites, options(100, Duration.ofMillis(100), maxRetries)))
                .name("Redis sink");
        return env.executeAsync("redis outage");
    }

    private static void stopRedisMidStream(long elements) throws Exception {
        long written = Await.until("the first elements in Redis", Duration.ofSeconds(120), Duration.ofMillis(100),
                () -> zcard("outage:items"), n -> n >= elements / 10);
        assertThat(written).as("elements written when Redis goes away").isLessThan(elements);
        redis.stop();
    }

    @Test
    void anOutageShorterThanTheRetryBudgetIsRiddenOutWithoutLossOrFailover() throws Exception {
        long elements = 3_000;
        JobClient job = startOutageJob(env(), elements, 12);
        stopRedisMidStream(elements);
        // The writers must have met the outage (and be retrying) before it ends.
        Await.until("a write retry", Duration.ofSeconds(120), Duration.ofMillis(100),
                () -> counter(job.getJobID(), "writeRetries"), retries -> retries > 0,
                () -> job.getJobStatus().get().isGloballyTerminalState() ? "the job ended" : null, () -> "");
        redis.start();

        job.getJobExecutionResult().get(Await.scaled(JOB_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);

        assertExactlyTheOutageValues(elements);
        assertThat(counter(job.getJobID(), "writeRetries")).isPositive();
    }

    @Test
    void anOutageLongerThanTheRetryBudgetFailsOverToTheLastCheckpointWithoutLoss() throws Exception {
        long elements = 3_000;
        StreamExecutionEnvironment env = env();
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10_000);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(restarts);
        JobClient job = startOutageJob(env, elements, 1);
        stopRedisMidStream(elements);
        // One quick retry is soon spent: the task fails and the job restarts from its last checkpoint.
        Await.until("a restart of the job", Duration.ofSeconds(120), Duration.ofMillis(100),
                () -> gauge(job.getJobID(), "numRestarts"), restartCount -> restartCount > 0);
        redis.start();

        job.getJobExecutionResult().get(Await.scaled(JOB_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);

        assertExactlyTheOutageValues(elements);
    }

    private static void assertExactlyTheOutageValues(long elements) {
        try (Jedis client = redis.client()) {
            Map<String, Double> items = scores(client, "outage:items");
            assertThat(items).hasSize((int) elements);
            Map<String, String> buckets = new HashMap<>();
            for (int bucket = 0; bucket < 20; bucket++) {
                buckets.putAll(client.hgetAll("outage:bucket:" + bucket));
            }
            assertThat(buckets).hasSize((int) elements);
            for (long i = 0; i < elements; i++) {
                assertThat(items.get("i" + i)).isEqualTo((double) i);
                assertThat(buckets.get(Long.toString(i))).isEqualTo("v" + i);
                assertThat(client.get("outage:item:" + i)).isEqualTo("v" + i);
            }
            assertThat(client.dbSize()).isEqualTo(elements + 20 + 1);
        }
    }

    private static long zcard(String key) {
        try (Jedis client = redis.client()) {
            return client.zcard(key);
        }
    }

    private static Map<String, Double> scores(Jedis client, String key) {
        return client.zrangeWithScores(key, 0, -1).stream().collect(Collectors.toMap(Tuple::getElement, Tuple::getScore));
    }

    /** {@code calls} of one command in INFO commandstats. */
    private static long calls(String commandStats, String command) {
        String prefix = "cmdstat_" + command + ":calls=";
        return commandStats.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Long.parseLong(line.substring(prefix.length(), line.indexOf(',')))).orElse(0L);
    }

    /** A counter summed over the job's subtasks. */
    private static long counter(JobID job, String name) {
        return metrics(job, name).stream().mapToLong(metric -> ((Counter) metric).getCount()).sum();
    }

    private static long gauge(JobID job, String name) {
        return metrics(job, name).stream().mapToLong(metric -> ((Number) ((Gauge<?>) metric).getValue()).longValue())
                .max().orElse(0);
    }

    private static List<Metric> metrics(JobID job, String name) {
        return REPORTER.findMetrics(job, ".*" + name).entrySet().stream()
                .filter(entry -> entry.getKey().endsWith("." + name)).map(Map.Entry::getValue).toList();
    }
}
