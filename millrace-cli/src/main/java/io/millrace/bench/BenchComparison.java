package io.millrace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A benchmark of several variants of one pipeline (and its baseline) on the same records, as a table. */
public record BenchComparison(String pipeline, String machine, long records, double eventRate, String generatorOptions,
        List<BenchResult> results, double consumeDecodeLimit, double postgresLimit) {

    /** The Markdown table of the comparison, one row per variant; numbers grouped by thousands with spaces. */
    public String table() {
        List<String> lines = new ArrayList<>();
        lines.add("| variant | rows | rows/s from submit | rows/s from the first read | CPU s | peak heap MB | checkpoints: "
                + "count; state MB; median / max ms | latency p50 / p99 ms (at records/s) | recovery after kill -9: "
                + "min / max s | verify |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|");
        for (BenchResult r : results) {
            String checkpoints = r.checkpoints() < 0 ? "—" : r.checkpoints() + "; "
                    + String.format(Locale.ROOT, "%.1f", r.checkpointStateMb()) + "; " + grouped(r.checkpointMedianMs())
                    + " / " + grouped(r.checkpointMaxMs());
            String latency = Double.isNaN(r.latencyP99Ms()) ? "—" : grouped(r.latencyP50Ms()) + " / "
                    + grouped(r.latencyP99Ms()) + " (" + grouped(r.latencyRate()) + "/s)";
            String recovery = Double.isNaN(r.recoveryMinSeconds())
                    ? (r.recoveryVerdict() == null ? "—" : r.recoveryVerdict())
                    : String.format(Locale.ROOT, "%.1f / %.1f (%s)", r.recoveryMinSeconds(), r.recoveryMaxSeconds(),
                            r.recoveryVerdict());
            lines.add("| " + String.join(" | ", r.variant(), grouped(r.rows()), grouped(r.rowsPerSecondFromSubmit()),
                    grouped(r.rowsPerSecondFromFirstRead()), Double.isNaN(r.cpuSeconds()) ? "—" : grouped(r.cpuSeconds()),
                    Double.isNaN(r.peakHeapMb()) ? "—" : grouped(r.peakHeapMb()), checkpoints, latency, recovery,
                    r.verified()) + " |");
        }
        return String.join("\n", lines) + "\n";
    }

    /** {@code 12345.6} as {@code 12 346}. */
    static String grouped(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,.0f", value).replace(',', ' ');
    }
}
