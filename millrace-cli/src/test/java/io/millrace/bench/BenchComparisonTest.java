package io.millrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison table and chart of {@code bench --architecture all}, from hand-computed figures. */
class BenchComparisonTest {

    private static BenchResult result(String variant, long rows, double fromSubmit, double fromFirstRead) {
        return new BenchResult(variant, rows, fromSubmit, fromFirstRead, 61.5, 812.4, 7, 3.25, 120, 480,
                "0 differences", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null);
    }

    @Test
    void tableShowsRatesFromSubmitAndFromTheFirstReadAndWhatWasNotMeasured() {
        BenchComparison comparison = new BenchComparison("market", "AMD EPYC, 2 cores", 1_000_000, 1000, "symbols=24",
                List.of(result("unified", 1_000_000, 32.0, 25.0).withLatency(5000, 6100, 7800)
                                .withRecovery(14.2, 20.9, "0 lost, 0 duplicated"),
                        result("baseline: Flink SQL", 1_000_000, 80.0, Double.NaN)),
                590_000, 115_000);
        String[] lines = comparison.table().split("\n");
        assertThat(lines).hasSize(4);
        // 1 000 000 rows / 32 s = 31 250 rows/s; / 25 s = 40 000.
        assertThat(lines[2]).isEqualTo("| unified | 1 000 000 | 31 250 | 40 000 | 62 | 812 | 7; 3.3; 120 / 480 | "
                + "6 100 / 7 800 (5 000/s) | 14.2 / 20.9 (0 lost, 0 duplicated) | 0 differences |");
        assertThat(lines[3]).startsWith("| baseline: Flink SQL | 1 000 000 | 12 500 | — | ").contains("| — | — |");
    }

    @Test
    void chartIsAPng(@TempDir Path dir) throws Exception {
        BenchComparison comparison = new BenchComparison("market", "test", 10, 1000, "",
                List.of(result("unified", 10, 1, 0.5), result("staged", 10, 2, 1)), Double.NaN, Double.NaN);
        Path png = dir.resolve("bench.png");
        BenchChart.writePng(comparison, png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).hasSizeGreaterThan(1000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
