package io.millrace.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.millrace.observe.Observation;
import io.millrace.pipeline.ResultChart;
import io.millrace.pipeline.SinkRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the terminal monitor draws from one reading, and which keys quit it. */
class MonitorViewTest {

    private static final long NOW = 1_764_576_000_000L;

    private static Observation reading(List<Map<String, Object>> results) {
        return new Observation("market", "abc123", NOW, 0, 120_000, 2_001.4,
                List.of(),
                List.of(new Observation.Sink("enriched_trades", SinkRole.RESULTS, 117_512, 1_998, -1),
                        new Observation.Sink("sector_metrics", SinkRole.RESULTS, 8, 0.25, -1),
                        new Observation.Sink("late_trades", SinkRole.LATE, 218, 0, -1),
                        new Observation.Sink("market.dlq", SinkRole.DEAD_LETTERS, 240, 1, -1)),
                List.of(new Observation.PartitionLag("stock-trades", 0, 1_000, 2_200),
                        new Observation.PartitionLag("stock-trades", 1, -1, 101)),
                NOW - 3_200, Long.MIN_VALUE,
                new Observation.Checkpoint(42, 85, 12_300_000, NOW - 3_000, 42, 0),
                List.of(new Observation.DeadLetter("stock-trades/1@17", "missing field price", "2025-12-01T08:00:00Z",
                        "{\"trade_id\":\"x\"}")),
                results);
    }

    @Test
    void shouldShowRatesTotalsLagWatermarkCheckpointAndErrors() {
        List<String> lines = MonitorView.block(reading(List.of()), List.of(), 160);
        String screen = String.join("\n", lines);
        assertThat(screen).contains("market  (job abc123)")
                .contains("input        2,001/s   total 120,000")
                .contains("lag          1,301 records over 2 partitions   watermark delay 3.2 s")
                .contains("checkpoint   #42", "85 ms", "12 MB", "42 completed, 0 failed")
                .contains("dead letters 240   late 218")
                .contains("stock-trades/1@17  missing field price");
        assertThat(lines).anyMatch(l -> l.contains("enriched_trades") && l.contains("1,998/s") && l.contains("117,512"));
        assertThat(lines).anyMatch(l -> l.contains("sector_metrics") && l.contains("0.3/s"));
        assertThat(lines).allMatch(l -> l.length() <= 160);
    }

    @Test
    void shouldRankTheNewestWindowsSeriesByTheChartsFirstValue() {
        ResultChart vwap = ResultChart.lines("Sector VWAP per window", "price", "window_start", "sector", "vwap");
        List<Map<String, Object>> rows = List.of(
                Map.of("window_start", "2025-12-01T08:00:00Z", "sector", "Energy", "vwap", 99.0),
                Map.of("window_start", "2025-12-01T08:01:00Z", "sector", "Energy", "vwap", 50.5),
                Map.of("window_start", "2025-12-01T08:01:00Z", "sector", "Tech", "vwap", 310.25),
                Map.of("window_start", "2025-12-01T08:01:00Z", "sector", "Health", "vwap", 75.0));
        List<String> lines = MonitorView.results(vwap, rows);
        assertThat(lines.get(0)).contains("top sector by vwap, window 2025-12-01T08:01:00Z");
        assertThat(lines.subList(1, lines.size())).hasSize(3);
        assertThat(lines.get(1)).contains("Tech").contains("310.25");
        assertThat(lines.get(2)).contains("Health");
        assertThat(lines.get(3)).contains("Energy").contains("50.50");
    }

    @Test
    void shouldListTheNewestWindowsFirstWithoutSeries() {
        ResultChart paid = ResultChart.lines("Paid income per window", "amount paid", "window_start", null, "total_paid");
        List<String> lines = MonitorView.results(paid, List.of(
                Map.of("window_start", "2025-12-01T08:00:00Z", "total_paid", 10),
                Map.of("window_start", "2025-12-01T08:00:03Z", "total_paid", 20)));
        assertThat(lines.get(1)).contains("08:00:03").contains("20");
        assertThat(MonitorView.results(paid, List.of())).contains("    (no results yet)");
    }

    @Test
    void shouldPrintOneLinePerReadingForPipes() {
        assertThat(MonitorView.line(reading(List.of()))).contains("market | in 2,001/s (120,000)")
                .contains("enriched_trades 117,512 (1,998/s)").contains("lag 1,301").contains("checkpoint #42 85ms");
    }

    @Test
    void shouldQuitOnQAndCtrlCOnly() {
        assertThat(MonitorScreen.quits(new KeyStroke('q', false, false))).isTrue();
        assertThat(MonitorScreen.quits(new KeyStroke('c', true, false))).isTrue();
        assertThat(MonitorScreen.quits(new KeyStroke('c', false, false))).isFalse();
        assertThat(MonitorScreen.quits(new KeyStroke(KeyType.ArrowDown))).isFalse();
        assertThat(MonitorScreen.quits(new KeyStroke(KeyType.EOF))).isTrue();
    }
}
