package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketVerifier;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.LocalFlink;
import io.millrace.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL goes away while trades are flowing: the sinks retry, then the job fails over to its last
 * checkpoint and keeps restarting until the database is back; then it catches up. Nothing may be lost.
 */
class PostgresOutageITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @Test
    void aDatabaseOutageCausesFailoverNotLoss() throws Exception {
        // Two quick retries, so a 12 s outage exhausts them and exercises the failover path too.
        MarketConfig config = MarketTestRuns.config(STACK, Map.of(
                "sink.postgres.max-retries", "2", "sink.postgres.retry-backoff", "200ms"));
        TopicAdmin.ensure(config.kafka(), MarketTestRuns.MARKET.topics(config));
        LocalFlink.LocalJob job = MarketTestRuns.start(STACK, config);
        CompletableFuture<GeneratorRun.Stats> generated = CompletableFuture.supplyAsync(() -> {
            try {
                return MarketTestRuns.generate(config, 21, System.currentTimeMillis(), 50_000, 2_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // The outage must hit a job that is writing: wait for its first rows, not for a number of seconds.
        Await.until("the first enriched_trades rows", Duration.ofSeconds(180), Duration.ofMillis(500),
                () -> MarketTestRuns.rowCount(config, "enriched_trades"), rows -> rows > 0);
        assertThat(generated).as("the generator is still running when the database goes away").isNotDone();
        STACK.stopPostgres();
        TimeUnit.SECONDS.sleep(12); // the outage itself: longer than the sinks' two quick retries
        STACK.startPostgres();

        GeneratorRun.Stats stats = generated.get(Await.scaled(Duration.ofSeconds(300)).toSeconds(), TimeUnit.SECONDS);
        MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, stats), Duration.ofSeconds(240));
        JsonNode failures = failures(job);
        MarketVerifier.Result result = MarketTestRuns.verify(config);
        job.client().cancel().get(120, TimeUnit.SECONDS);

        assertThat(failures.size()).as("the job failed over while the database was down").isPositive();
        assertThat(failures.get(0).path("stacktrace").asText()).contains("PostgreSQL sink");
        assertThat(result.lag()).isZero();
        assertThat(result.differences()).isZero();
        assertThat(result.check("enriched_trades").actualCount()).isGreaterThan(45_000);
    }

    /** The job's failure history (Flink REST): each entry is a failure that triggered a restart. */
    private static JsonNode failures(LocalFlink.LocalJob job) throws Exception {
        String url = job.webUrl() + "/jobs/" + job.client().getJobID() + "/exceptions";
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new ObjectMapper().readTree(body).path("exceptionHistory").path("entries");
    }
}
