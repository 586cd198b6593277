package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.config.SearchConnection;
import io.millrace.config.SearchSinkOptions;
import io.millrace.stack.LocalSearch;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search sink on a MiniCluster at parallelism 2 against a real OpenSearch node (one for the class): every
 * record indexed once with the right fields, a replay that overwrites instead of duplicating, a node outage in
 * the middle of a run, and a document the index refuses.
 */
class SearchSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int N = 5_000;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private static final String PROPERTIES = """
            {"reading": {"type": "long"}, "sensor": {"type": "keyword"}, "value": {"type": "long"}}
            """;

    @TempDir
    static Path dataDir;
    private static LocalSearch node;
    private static SearchClient client;

    @BeforeAll
    static void startNode() throws Exception {
        node = LocalSearch.start(dataDir.resolve("search"), Ports.findFree());
        client = new SearchClient(SearchConnection.of(node.url()));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** The document of reading {@code i}: what the job writes. */
    static SearchDocument document(Long i) {
        return new SearchDocument("reading-" + i,
                "{\"reading\":" + i + ",\"sensor\":\"s-" + (i % 37) + "\",\"value\":" + (i * 7919 % 1000) + "}");
    }

    /** A document with a field the strict mapping does not know, every 1000th reading. */
    static SearchDocument documentWithStrayField(Long i) {
        return i % 1000 == 999 ? new SearchDocument("reading-" + i, "{\"reading\":" + i + ",\"stray\":1}") : document(i);
    }

    private static SearchSink<Long> sink(String index, SearchDocumentMapper<Long> mapper, int maxRetries) {
        return new SearchSink<>(SearchConnection.of(node.url()), new SearchIndex(index, PROPERTIES), mapper,
                new SearchSinkOptions(500, Duration.ofMillis(200), maxRetries, Duration.ofMillis(200)));
    }

    private static StreamExecutionEnvironment env(boolean restarts) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        if (restarts) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10_000);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        } else {
            // A failure must fail the test.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        env.configure(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        return env;
    }

    private static void runBounded(String index) throws Exception {
        StreamExecutionEnvironment env = env(false);
        env.fromData(LongStream.range(0, N).boxed().toList()).setParallelism(1)
                .rebalance()
                .sinkTo(sink(index, SearchSinkITCase::document, 3)).name("search sink");
        env.execute("search " + index);
    }

    /** The index's documents by id, read back with a full scan. */
    private static Map<String, JsonNode> documents(String index) throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        client.scan(index, hit -> byId.put(hit.path("_id").asText(), hit.path("_source")));
        return byId;
    }

    /** Every reading 0..N-1 indexed once, with fields recomputed here from the reading's number. */
    private static void assertEveryReadingOnce(String index) throws Exception {
        client.refresh(index);
        assertThat(client.count(index)).isEqualTo(N);
        Map<String, JsonNode> byId = documents(index);
        assertThat(byId).hasSize(N);
        for (long i = 0; i < N; i++) {
            JsonNode source = byId.get("reading-" + i);
            assertThat(source).as("reading %d", i).isNotNull();
            assertThat(source.path("reading").asLong()).isEqualTo(i);
            assertThat(source.path("sensor").asText()).isEqualTo("s-" + Math.floorMod(i, 37L));
            assertThat(source.path("value").asLong()).isEqualTo(Math.floorMod(i * 7919, 1000L));
        }
    }

    @Test
    void shouldIndexEveryRecordOnceWithItsFields() throws Exception {
        runBounded("readings");

        assertEveryReadingOnce("readings");
        assertThat(client.search("readings", "sensor:s-5", 3).total()).isEqualTo(LongStream.range(0, N)
                .filter(i -> i % 37 == 5).count());
    }

    @Test
    void shouldOverwriteNotDuplicateWhenTheSameInputIsWrittenTwice() throws Exception {
        runBounded("readings-replayed");
        runBounded("readings-replayed");

        assertEveryReadingOnce("readings-replayed");
    }

    @Test
    void shouldEndWithEveryRecordOnceAfterTheNodeWasDownMidRun() throws Exception {
        String index = "readings-outage";
        StreamExecutionEnvironment env = env(true);
        // About eight seconds of input, so the outage falls in the middle of the stream.
        env.fromSource(new DataGeneratorSource<>(i -> i, N, RateLimiterStrategy.perSecond(N / 8.0), Types.LONG),
                        WatermarkStrategy.noWatermarks(), "readings").setParallelism(1)
                .rebalance()
                // Few retries: the writers run out of them during the outage, so the job also fails over and replays.
                .sinkTo(sink(index, SearchSinkITCase::document, 2)).name("search sink");
        JobClient job = env.executeAsync("search outage");

        Await.until("the first readings indexed", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            client.refresh(index);
            return client.count(index);
        }, n -> n >= N / 10);
        node.stop();
        Thread.sleep(3_000);
        node.start();

        job.getJobExecutionResult().get(Await.scaled(JOB_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
        assertEveryReadingOnce(index);
    }

    @Test
    void shouldFailNamingTheDocumentTheIndexRefuses() {
        StreamExecutionEnvironment env = env(false);
        env.fromData(List.of(997L, 998L, 999L)).setParallelism(1)
                .sinkTo(sink("readings-refused", SearchSinkITCase::documentWithStrayField, 3)).name("search sink");

        assertThatThrownBy(() -> env.execute("search refused")).rootCause()
                .hasMessageContaining("reading-999").hasMessageContaining("strict_dynamic_mapping_exception");
    }
}
