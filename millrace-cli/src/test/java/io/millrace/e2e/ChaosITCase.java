package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.chaos.ChaosRun;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A shortened {@code millrace chaos market}: separate processes for Kafka, PostgreSQL, the generator and
 * the pipeline; three SIGKILLs of the pipeline and a PostgreSQL restart under a few thousand trades per
 * second, with transactional result topics; then every sink must match the input exactly.
 */
class ChaosITCase {

    @Test
    void threeKillsAndADatabaseRestartLoseAndDuplicateNothing() throws Exception {
        MillraceHome home = new MillraceHome(Files.createTempDirectory("millrace-chaos-it-"));
        ChaosRun.Options options = new ChaosRun.Options(3, Duration.ofSeconds(50), 3000, true, false,
                Duration.ofSeconds(8), 5, 0.1, 0.002, 0.002, 0.002, true);

        ChaosRun.Report report = new ChaosRun(home, options, new PrintWriter(System.out, true)).run();

        assertThat(report.faults()).hasSize(4);
        assertThat(report.faults()).allSatisfy(f -> assertThat(f.recoveredAt()).as(f.what()).isPositive());
        assertThat(report.verify().lag()).isZero();
        assertThat(report.verify().differences()).isZero();
        assertThat(report.verify().check("market.dlq").actualCount()).isPositive();
        assertThat(report.verify().check("enriched-trades").duplicatedCount()).isZero();
        assertThat(report.verify().check("enriched_trades").actualCount()).isGreaterThan(140_000);
        assertThat(report.passed()).isTrue();
    }
}
