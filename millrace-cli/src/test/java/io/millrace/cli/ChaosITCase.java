package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.chaos.ChaosRun;
import io.millrace.chaos.ChaosTarget;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shortened {@code millrace chaos} runs: separate processes for Kafka, PostgreSQL, the generator and the
 * pipeline; three SIGKILLs of the pipeline and a service restart under a few thousand records per second;
 * then every sink must match the input exactly.
 */
class ChaosITCase {

    private static ChaosRun.Report run(String pipeline, boolean kafkaOutput, boolean restartPostgres,
            boolean restartKafka) throws Exception {
        return run(pipeline, kafkaOutput, restartPostgres, restartKafka, false, 3000);
    }

    private static ChaosRun.Report run(String pipeline, boolean kafkaOutput, boolean restartPostgres,
            boolean restartKafka, boolean restartRedis, double rate) throws Exception {
        Map<String, String> settings = kafkaOutput ? Map.of(MarketConfig.OUTPUT_KAFKA.name(), "true") : Map.of();
        return run(pipeline, settings, restartPostgres, restartKafka, restartRedis, rate);
    }

    private static ChaosRun.Report run(String pipeline, Map<String, String> settings, boolean restartPostgres,
            boolean restartKafka, boolean restartRedis, double rate) throws Exception {
        return run(pipeline, settings, restartPostgres, restartKafka, restartRedis, false, rate);
    }

    private static ChaosRun.Report run(String pipeline, Map<String, String> settings, boolean restartPostgres,
            boolean restartKafka, boolean restartRedis, boolean restartSearch, double rate) throws Exception {
        MillraceHome home = new MillraceHome(Files.createTempDirectory("millrace-chaos-it-"));
        ChaosRun.Options options = new ChaosRun.Options(3, Duration.ofSeconds(50), rate, restartPostgres, restartKafka,
                restartRedis, restartSearch, Duration.ofSeconds(8), 5, 0.1, 0.002, 0.002);
        return new ChaosRun(home, new ChaosTarget(Pipelines.require(pipeline), settings), options,
                new PrintWriter(System.out, true)).run();
    }

    @Test
    void marketLosesAndDuplicatesNothingThroughThreeKillsAndADatabaseRestart() throws Exception {
        ChaosRun.Report report = run("market", true, true, false);

        assertThat(report.faults()).hasSize(4);
        assertThat(report.faults()).allSatisfy(f -> assertThat(f.recoveredAt()).as(f.what()).isPositive());
        assertThat(report.verify().lag()).isZero();
        assertThat(report.verify().differences()).isZero();
        assertThat(report.verify().deadLetters().actualCount()).isPositive();
        assertThat(report.verify().check("enriched-trades").duplicatedCount()).isZero();
        assertThat(report.verify().results().actualCount()).isGreaterThan(140_000);
        assertThat(report.passed()).isTrue();
    }

    @Test
    void paymentsLoseAndDuplicateNothingThroughThreeKillsAndABrokerRestart() throws Exception {
        ChaosRun.Report report = run("payments", false, false, true);

        assertThat(report.faults()).hasSize(4);
        assertThat(report.faults()).allSatisfy(f -> assertThat(f.recoveredAt()).as(f.what()).isPositive());
        assertThat(report.verify().lag()).isZero();
        assertThat(report.verify().differences()).isZero();
        assertThat(report.verify().late().actualCount()).isPositive();
        assertThat(report.verify().deadLetters().actualCount()).isPositive();
        assertThat(report.verify().results().actualCount()).isGreaterThan(10);
        assertThat(report.passed()).isTrue();
    }

    /**
     * Engagement: rows inserted into PostgreSQL, captured by a separate capture process, three SIGKILLs of the
     * pipeline and restarts of PostgreSQL (the generator and the capture ride it out), of Redis and of the search
     * node; then Redis, the search index and the warehouse table are each compared with the recomputation.
     */
    @Test
    void engagementLosesAndDuplicatesNothingThroughThreeKillsAndRestartsOfPostgresRedisAndSearch() throws Exception {
        // A shorter lateness than the default's two minutes, so the last minute is final soon after the input.
        ChaosRun.Report report = run("engagement", Map.of("window.allowed-lateness", "30s", "enrichment.max-wait", "10s"),
                true, false, true, true, 2000);

        // Three outages in 50 s (each keeps kills 4 s before and 16 s after it away) leave room for two kills.
        assertThat(report.faults()).hasSize(5);
        assertThat(report.faults()).extracting(ChaosRun.Fault::what).contains("OpenSearch restart",
                "PostgreSQL restart", "Redis restart", "kill -9 #1", "kill -9 #2");
        assertThat(report.faults()).allSatisfy(f -> assertThat(f.recoveredAt()).as(f.what()).isPositive());
        assertThat(report.verify().lag()).isZero();
        assertThat(report.verify().differences()).isZero();
        // Every row the generator committed is captured. How many it commits in 50 s depends on how long the
        // database outage (which blocks it too) takes on this machine: 67 000 to 100 000 rows were seen.
        assertThat(report.verify().check("change capture").actualCount())
                .isEqualTo(report.verify().check("change capture").expectedCount()).isGreaterThan(50_000);
        assertThat(report.verify().results().actualCount()).isGreaterThan(20);
        assertThat(report.verify().late().actualCount()).isPositive();
        assertThat(report.verify().deadLetters().actualCount()).isPositive();
        long events = report.verify().check("change capture").actualCount();
        for (String sink : List.of("search engagement-events", "warehouse engagement_events")) {
            // Every valid captured event, once: all captured rows but the few invalid ones.
            assertThat(report.verify().check(sink).actualCount()).as(sink).isGreaterThan(events * 99 / 100);
            assertThat(report.verify().check(sink).differences()).as(sink).isZero();
        }
        assertThat(report.passed()).isTrue();
    }
}
