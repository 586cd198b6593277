package io.millrace.stress;

import java.util.ArrayList;
import java.util.List;

/** The terminal table of a stress run: one row per stage. */
public final class StressTable {

    private StressTable() {}

    public static String render(StressReport report) {
        List<String> sinks = report.stages().isEmpty() ? List.of()
                : new ArrayList<>(report.stages().get(0).sinkRates().keySet());
        List<String> header = new ArrayList<>(List.of("stage", "target/s", "generated/s", "kafka in/s", "read/s"));
        sinks.forEach(s -> header.add(s + "/s"));
        header.addAll(List.of("p50 ms", "p95 ms", "p99 ms", "max lag", "checkpoints ms", "CPU %", "heap MB", "load", "verdict"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (StageResult s : report.stages()) {
            List<String> row = new ArrayList<>(List.of(s.name(), rate(s.targetRate()), rate(s.achievedRate()),
                    rate(s.kafkaInputRate()), rate(s.readRate())));
            sinks.forEach(sink -> row.add(rate(s.sinkRates().getOrDefault(sink, -1.0))));
            StageResult.Latency l = s.latency();
            boolean measured = l != null && l.samples() > 0;
            String bound = measured && l.unresolved() > 0 ? "≥" : "";
            row.add(measured ? bound + l.p50() : "-");
            row.add(measured ? bound + l.p95() : "-");
            row.add(measured ? bound + l.p99() : "-");
            row.add(s.lag().max() < 0 ? "?" : String.format("%,d", s.lag().max()));
            row.add(checkpoints(s.checkpointMillis()));
            row.add(s.cpuPercent() < 0 ? "?" : String.format("%.0f", s.cpuPercent()));
            row.add(s.heapMaxMb() < 0 ? "?" : String.format("%,.0f", s.heapMaxMb()));
            row.add(s.loadAverage() < 0 ? "?" : String.format("%.1f", s.loadAverage()));
            row.add(s.verdict().name().toLowerCase().replace('_', ' '));
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                table.append(i == 0 ? String.format("%-" + widths[i] + "s", cell) : String.format("  %" + widths[i] + "s", cell));
            }
            table.append('\n');
        }
        if (report.latencyDefinition() == null) {
            table.append("latency: not measured for this pipeline (it declares no latency probe)\n");
        } else {
            table.append("latency: ").append(report.latencyDefinition()).append('\n');
        }
        table.append(report.conclusion()).append('\n');
        return table.toString();
    }

    private static String rate(double r) {
        // Window results come a few per second: show those with a decimal rather than as 0.
        return r < 0 ? "?" : r < 10 ? String.format("%.1f", r) : String.format("%,.0f", r);
    }

    /** Median and max of the stage's checkpoint durations, e.g. "35 / 120 (3)". */
    private static String checkpoints(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format("%d / %d (%d)", sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
    }
}
