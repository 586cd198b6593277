package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorRun;
import io.millrace.job.PipelineRunner;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketVerifier;
import io.millrace.source.TopicAdmin;
import io.millrace.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar, unchanged, on a standalone Flink session cluster whose JobManager and TaskManager
 * are separate processes with only Flink's own jars: submitted over REST like {@code flink run}, the market
 * job must pass {@code verify} with 0 differences after its TaskManager is killed with SIGKILL mid-stream
 * and replaced.
 */
class StandaloneClusterITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @TempDir
    Path clusterDir;

    @Test
    void jobJarRunsOnAStandaloneClusterAndSurvivesATaskManagerKill() throws Exception {
        Path jar = jobJar();
        MarketConfig config = MarketTestRuns.config(STACK, Map.of());
        TopicAdmin.ensure(config.kafka(), MarketTestRuns.MARKET.topics(config));
        List<String> args = new ArrayList<>(List.of("market"));
        for (String setting : List.of("kafka.bootstrap-servers=" + STACK.kafka(), "postgres.url=" + STACK.postgresUrl(),
                "checkpoint.dir=" + STACK.checkpoints("market").toUri(), "checkpoint.interval=1s", "parallelism=2")) {
            args.add("--set");
            args.add(setting);
        }

        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(clusterDir, 2)) {
            String job = cluster.submit(jar, PipelineRunner.class.getName(), args);
            cluster.awaitCheckpoints(job, 1, Duration.ofSeconds(240));

            // 40 000 trades over about 10 s; the TaskManager dies while they flow and a new one takes over.
            CompletableFuture<GeneratorRun.Stats> generated = CompletableFuture.supplyAsync(() -> {
                try {
                    return MarketTestRuns.generate(config, 31, System.currentTimeMillis(), 40_000, 4_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long before = cluster.completedCheckpoints(job);
            cluster.awaitCheckpoints(job, before + 2, Duration.ofSeconds(120));
            String killed = cluster.killTaskManager();
            String replacement = cluster.startTaskManager();
            assertThat(replacement).as("the replacement registers under its own id").isNotEqualTo(killed);
            GeneratorRun.Stats stats = generated.get(Await.scaled(Duration.ofSeconds(300)).toSeconds(), TimeUnit.SECONDS);

            try {
                MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, stats), Duration.ofSeconds(240));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + cluster.logTails(), e);
            }
            MarketVerifier.Result result = MarketTestRuns.verify(config);
            assertThat(cluster.failures(job)).as("the job failed over when its TaskManager was killed").isPositive();
            assertThat(cluster.jobState(job)).isEqualTo("RUNNING");
            // The JobManager drops the killed TaskManager once its heartbeat times out (10 s here).
            Await.until("only the replacement TaskManager " + replacement + " to be listed", Duration.ofSeconds(60),
                    Duration.ofMillis(500), cluster::registeredTaskManagerIds, ids -> ids.equals(List.of(replacement)));
            cluster.cancel(job);

            assertThat(result.lag()).isZero();
            assertThat(result.differences()).isZero();
            assertThat(result.check("market.dlq").actualCount()).isEqualTo(stats.count(Kind.BAD)).isPositive();
            assertThat(result.check("late_trades").actualCount()).isPositive();
            assertThat(result.check("enriched_trades").actualCount())
                    .isGreaterThan(stats.count(Kind.TRADE) + stats.count(Kind.OUT_OF_ORDER) - stats.count(Kind.LATE));
        }
    }

    /** The job module's shaded jar: the artifact users submit to a cluster (built before this module's tests). */
    private static Path jobJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("../millrace-job/target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-flink-job.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shaded job jar in millrace-job/target: build it first"));
        }
    }
}
