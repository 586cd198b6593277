package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketVerifier;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The staged and dual architectures of market, each as its two jobs on one MiniCluster at parallelism 2 against
 * the real embedded Kafka and PostgreSQL: generated input with disorder, late, duplicated and malformed records
 * must pass {@code verify} (which recomputes every sink from the input), before and after a stop and a resume of
 * both jobs from their own checkpoints.
 */
class MarketArchitecturesITCase {

    @RegisterExtension
    final LocalStackExtension stack = new LocalStackExtension(true);

    private LocalFlink.LocalJob start(MarketConfig config) throws Exception {
        Path root = stack.checkpoints("market");
        List<LocalFlink.JobSpec> specs = new ArrayList<>();
        for (PipelineJob job : MarketTestRuns.MARKET.jobs(config)) {
            specs.add(new LocalFlink.JobSpec(job.name(), new CheckpointStore(root.resolve(job.checkpointSubdir())),
                    job::attach));
        }
        return LocalFlink.start(specs, config.parallelism(), Ports.findFree(), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"staged", "dual"})
    void generatedInputPassesVerifyBeforeAndAfterAStopAndResume(String architecture) throws Exception {
        MarketConfig config = MarketTestRuns.config(stack, Map.of("architecture", architecture));
        assertThat(MarketTestRuns.MARKET.jobs(config)).hasSize(2);
        TopicAdmin.ensure(config.kafka(), MarketTestRuns.MARKET.topics(config));
        long start = System.currentTimeMillis();
        GeneratorRun.Stats first = MarketTestRuns.generate(config, 21, start, 30_000, 20_000);

        LocalFlink.LocalJob job = start(config);
        MarketVerifier.Result before;
        try {
            assertThat(job.clients()).hasSize(2);
            MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, first), Duration.ofSeconds(180));
            before = MarketTestRuns.verify(config);
        } finally {
            job.cancelAndAwait(Duration.ofSeconds(120));
        }

        MarketTestRuns.assertFirstRunVerified(before, first);

        GeneratorRun.Stats second = MarketTestRuns.generate(config, 22,
                first.maxEventTime() + MarketTestRuns.MARKET.closingOffset(config).toMillis() + 1000, 15_000, 20_000);
        LocalFlink.LocalJob resumed = start(config);
        MarketVerifier.Result after;
        try {
            assertThat(resumed.restored()).allSatisfy(restored -> assertThat(restored).isPresent());
            MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, second), Duration.ofSeconds(180));
            after = MarketTestRuns.verify(config);
        } finally {
            resumed.cancelAndAwait(Duration.ofSeconds(120));
        }

        assertThat(after.lag()).isZero();
        assertThat(after.differences()).isZero();
        assertThat(after.check("market.dlq").actualCount()).isEqualTo(first.count(Kind.BAD) + second.count(Kind.BAD));
        assertThat(after.check("enriched_trades").actualCount()).isGreaterThan(before.check("enriched_trades").actualCount());
    }
}
