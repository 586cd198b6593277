package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratorRun;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketVerifier;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.LocalFlink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The market job against the real embedded Kafka and PostgreSQL at parallelism 2: generated input with
 * disorder, late, duplicated and malformed records must pass {@code verify}; so must more input processed
 * after a stop and a resume from the retained checkpoint.
 */
class MarketEndToEndITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @Test
    void generatedInputPassesVerifyBeforeAndAfterAStopAndResume() throws Exception {
        MarketConfig config = MarketTestRuns.config(STACK, Map.of());
        TopicAdmin.ensure(config.kafka(), MarketTestRuns.MARKET.topics(config));
        long start = System.currentTimeMillis();
        GeneratorRun.Stats first = MarketTestRuns.generate(config, 11, start, 40_000, 20_000);

        LocalFlink.LocalJob job = MarketTestRuns.start(STACK, config);
        MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, first), Duration.ofSeconds(180));
        MarketVerifier.Result before = MarketTestRuns.verify(config);
        job.client().cancel().get(120, TimeUnit.SECONDS);

        MarketTestRuns.assertFirstRunVerified(before, first);

        // More input arrives while the job is down; the resumed job must pick it up from its checkpoint.
        GeneratorRun.Stats second = MarketTestRuns.generate(config, 12,
                first.maxEventTime() + MarketTestRuns.MARKET.closingOffset(config).toMillis() + 1000, 30_000, 20_000);
        LocalFlink.LocalJob resumed = MarketTestRuns.start(STACK, config);
        assertThat(resumed.restoredFrom()).isPresent();
        MarketTestRuns.awaitDrained(config, MarketTestRuns.target(config, second), Duration.ofSeconds(180));
        MarketVerifier.Result after = MarketTestRuns.verify(config);
        resumed.client().cancel().get(120, TimeUnit.SECONDS);

        assertThat(after.lag()).isZero();
        assertThat(after.differences()).isZero();
        assertThat(after.check("market.dlq").actualCount()).isEqualTo(first.count(Kind.BAD) + second.count(Kind.BAD));
        assertThat(after.check("enriched_trades").actualCount()).isGreaterThan(before.check("enriched_trades").actualCount());
    }
}
