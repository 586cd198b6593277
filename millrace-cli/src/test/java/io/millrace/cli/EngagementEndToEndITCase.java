package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.config.SearchConnection;
import io.millrace.config.Settings;
import io.millrace.e2e.LocalStackExtension;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.engagement.EngagementVerifier;
import io.millrace.pipeline.engagement.RedisKeys;
import io.millrace.sink.SearchClient;
import io.millrace.sink.SearchDocument;
import io.millrace.sink.WarehouseReader;
import io.millrace.stack.ChangeDataCapture;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.LocalRedis;
import io.millrace.stack.LocalSearch;
import io.millrace.stack.PipelineCaptures;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import io.millrace.verify.TableCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * {@code engagement} end to end on real services at parallelism 2: rows inserted, updated and deleted in
 * PostgreSQL, captured by Debezium into Kafka, joined and counted by the job, written to a real Redis, a real
 * OpenSearch node and an Iceberg table; then {@code verify} recomputes every key, document and row from the
 * source tables and the change history and must find 0 differences, and must find the values this test then
 * corrupts.
 */
class EngagementEndToEndITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    private static LocalRedis redis;
    private static LocalSearch search;

    @BeforeAll
    static void startRedisAndSearch() throws Exception {
        redis = LocalRedis.start(STACK.home().redisData(), Ports.findFree());
        search = LocalSearch.start(STACK.home().searchData(), Ports.findFree());
    }

    @AfterAll
    static void stopRedisAndSearch() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (search != null) {
            search.close();
        }
    }

    @Test
    void changesCapturedFromPostgresEndInRedisAsTheSourceTablesSay() throws Exception {
        PipelineDefinition<?> definition = Pipelines.require("engagement");
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", STACK.kafka(),
                "postgres.url", STACK.postgresUrl("engagement_it"),
                "redis.port", Integer.toString(redis.port()),
                "search.url", search.url(),
                "warehouse.path", STACK.home().warehouse().toUri().toString(),
                "checkpoint.dir", STACK.checkpoints("engagement").toUri().toString(),
                "checkpoint.interval", "1s",
                "parallelism", "2",
                // Short enough for a test to see its last minute final soon after the last insert.
                "window.allowed-lateness", "20s",
                "enrichment.max-wait", "10s"));
        settings.putAll(Map.of("capture.slot", "it_engagement", "capture.publication", "it_engagement",
                "capture.topic-prefix", "it", "topic.content", "it.public.content",
                "topic.events", "it.public.engagement_events", "topic.late", "it.late", "topic.dlq", "it.dlq",
                "source.group-id", "it-engagement"));
        Pipeline pipeline = definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), settings));
        pipeline.prepareSources();

        try (ChangeDataCapture capture = ChangeDataCapture.start(PipelineCaptures.options(pipeline,
                Files.createTempDirectory("engagement-capture-")))) {
            Await.until("the capture running", Duration.ofSeconds(60), Duration.ofMillis(200), capture::status,
                    ChangeDataCapture.Status::running);
            capture.awaitPositionStored(Duration.ofSeconds(120));
            LocalFlink.LocalJob job = LocalPipelineJob.start(pipeline, Ports.findFree(), false,
                    new PrintWriter(System.out, true));
            try {
                // 1 000 content rows, a content change every 400 events (updates and deletes), 15 000 events
                // over 7.5 s of event time, with disorder, late, malformed and unknown-content rows.
                EventGenerator generator = pipeline.generator(new GeneratorOptions(11, 2000, System.currentTimeMillis(),
                        0.1, Duration.ofSeconds(3), 0.004, pipeline.lateBy(), 0.004),
                        Settings.layered(definition.generatorSpec().options().all(), null, Map.of(),
                                Map.of("content", "1000", "change-every", "400")));
                GeneratorRun.Stats stats;
                try (GeneratorOutput output = pipeline.generatorOutput()) {
                    stats = GeneratorRun.run(generator, output, 20_000, 15_000, null, (n, t) -> { }, () -> false);
                }
                long target = pipeline.drainTarget(stats.maxEventTime());
                Finality.Stored progress = (Finality.Stored) pipeline.finality();
                Await.until("the Redis sinks final past the last minute", Duration.ofSeconds(240), Duration.ofSeconds(1),
                        progress::watermark, w -> w >= target);

                StringWriter report = new StringWriter();
                EngagementVerifier.Result result = (EngagementVerifier.Result) pipeline.verify(
                        Await.scaled(Duration.ofSeconds(120)), new PrintWriter(report));
                System.out.println(report);

                assertThat(result.lag()).isZero();
                assertThat(result.differences()).as(report.toString()).isZero();
                assertThat(result.notYetCaptured()).isZero();
                assertThat(result.results().actualCount()).as("minute results compared").isGreaterThan(20);
                assertThat(result.results().pendingCount()).isZero();
                assertThat(result.checks().get(1).actualCount()).as("leaderboard members compared").isEqualTo(20);
                assertThat(result.deadLetters().actualCount()).isEqualTo(stats.count(Kind.BAD)).isPositive();
                assertThat(result.late().actualCount()).isPositive();
                assertThat(result.oracle().unknown()).as("events of content that never existed or was deleted")
                        .isPositive();
                int events = result.oracle().events().size();
                assertThat(events).isGreaterThan(14_000);
                assertThat(result.check("search engagement-events").actualCount()).isEqualTo(events);
                assertThat(result.check("warehouse engagement_events").actualCount()).isEqualTo(events);
                try (WarehouseReader table = WarehouseReader.open(pipeline.sinks(SinkSpec.WarehouseTable.class).get(0)
                        .warehouse(), "engagement_events")) {
                    assertThat(table.partitions()).as("partitioned by event day").isNotEmpty()
                            .allSatisfy(p -> assertThat(p).matches("event_ts_day=\\d{4}-\\d{2}-\\d{2}"));
                }

                // The check can fail: one count in Redis made wrong is found and named.
                String minuteKey;
                try (Jedis jedis = pipeline.sinks(SinkSpec.RedisKeys.class).get(0).redis()
                        .open(Duration.ofSeconds(10))) {
                    minuteKey = jedis.keys(RedisKeys.ACCESS_BY_EVENT + "*").stream().sorted().findFirst().orElseThrow();
                    long clicks = Long.parseLong(jedis.hget(minuteKey, "click"));
                    jedis.hset(minuteKey, "click", Long.toString(clicks + 1));
                }
                StringWriter second = new StringWriter();
                EngagementVerifier.Result corrupted = (EngagementVerifier.Result) pipeline.verify(Duration.ofSeconds(5),
                        new PrintWriter(second));
                TableCheck minutes = corrupted.results();
                assertThat(minutes.wrongCount()).as(second.toString()).isEqualTo(1);
                assertThat(second.toString()).contains(minuteKey + " click");
                assertThat(corrupted.exitCode()).isNotZero();

                // And one search document made wrong is found and named.
                SearchClient client = new SearchClient(SearchConnection.of(search.url()));
                JsonNode hit = client.search("engagement-events", "device:ios", 1).hits().get(0);
                ObjectNode source = (ObjectNode) hit.get("_source");
                source.put("device", "web-chrome");
                client.bulk("engagement-events", List.of(new SearchDocument(hit.get("_id").asText(), source.toString())));
                client.refresh("engagement-events");
                StringWriter third = new StringWriter();
                EngagementVerifier.Result tampered = (EngagementVerifier.Result) pipeline.verify(Duration.ofSeconds(5),
                        new PrintWriter(third));
                assertThat(tampered.check("search engagement-events").wrongCount()).as(third.toString()).isEqualTo(1);
                assertThat(third.toString()).contains("event " + hit.get("_id").asText() + ": device expected ios");
            } finally {
                job.client().cancel().get(120, TimeUnit.SECONDS);
            }
        }
    }
}
