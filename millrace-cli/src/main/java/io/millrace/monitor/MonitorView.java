package io.millrace.monitor;

import io.millrace.observe.Observation;
import io.millrace.pipeline.ResultChart;
import io.millrace.pipeline.SinkRole;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the terminal monitor shows of one {@link Observation}, as plain text: a block of lines for the full screen and
 * one line for output that is not a terminal. Pure, so tests can read it without a terminal.
 */
public final class MonitorView {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    /** Rows of each result table on the screen. */
    static final int TOP = 5;
    /** Dead letters listed on the screen. */
    static final int ERRORS = 3;

    private MonitorView() {}

    /** The screen block of one pipeline, lines at most {@code width} wide. */
    public static List<String> block(Observation o, List<ResultChart> charts, int width) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s  (job %s)", o.pipeline(), o.jobId()));
        lines.add(String.format("  input        %s   total %s", rate(o.inPerSecond()), count(o.recordsIn())));
        long delay = o.watermarkDelayMillis();
        lines.add(String.format("  lag          %s records over %d partitions   watermark delay %s", count(o.totalLag()),
                o.lag().size(), delay < 0 ? "?" : String.format(Locale.ROOT, "%.1f s", delay / 1000.0)));
        Observation.Checkpoint c = o.checkpoint();
        lines.add(c == null ? "  checkpoint   none yet"
                : String.format("  checkpoint   #%d at %s (%d s ago), %,d ms, %s; %,d completed, %,d failed", c.id(),
                        CLOCK.format(Instant.ofEpochMilli(c.completedAt())),
                        Math.max(0, (o.timeMillis() - c.completedAt()) / 1000), c.durationMillis(), bytes(c.sizeBytes()),
                        c.completed(), c.failed()));
        lines.add("");
        lines.add(String.format("  %-28s %-13s %12s %14s", "sink", "role", "rows/s", "total"));
        for (Observation.Sink s : o.sinks()) {
            lines.add(String.format("  %-28s %-13s %12s %14s%s", s.name(), role(s.role()), rate(s.perSecond()),
                    count(s.count()), s.backlog() >= 0 ? "   backlog " + count(s.backlog()) : ""));
        }
        lines.add("");
        lines.add(String.format("  dead letters %s   late %s", count(o.deadLetters()), count(o.late())));
        List<Observation.DeadLetter> letters = o.latestDeadLetters();
        for (int i = 0; i < Math.min(ERRORS, letters.size()); i++) {
            Observation.DeadLetter d = letters.get(i);
            lines.add(String.format("    %s  %s  %s", d.origin(), d.reason(), d.value() == null ? "" : d.value()));
        }
        for (ResultChart chart : charts.stream().limit(2).toList()) {
            lines.add("");
            lines.addAll(results(chart, o.latestResults()));
        }
        return lines.stream().map(l -> l.length() > width ? l.substring(0, Math.max(0, width)) : l).toList();
    }

    /**
     * The top rows of a chart's latest results: per series (e.g. per sector) in the newest window, highest first; or,
     * for a chart without series, the newest windows, newest first.
     */
    static List<String> results(ResultChart chart, List<Map<String, Object>> rows) {
        List<String> lines = new ArrayList<>();
        String value = chart.valueFields().get(0);
        List<Map<String, Object>> shown;
        if (chart.seriesField() != null) {
            String newest = rows.stream().map(r -> String.valueOf(r.get(chart.timeField())))
                    .max(Comparator.naturalOrder()).orElse(null);
            shown = rows.stream().filter(r -> String.valueOf(r.get(chart.timeField())).equals(newest))
                    .sorted(Comparator.comparingDouble((Map<String, Object> r) -> number(r.get(value))).reversed())
                    .limit(TOP).toList();
            lines.add(String.format("  top %s by %s, window %s  (%s)", chart.seriesField(), value,
                    newest == null ? "-" : newest, chart.title()));
        } else {
            List<Map<String, Object>> newestFirst = new ArrayList<>(rows);
            newestFirst.sort(Comparator.comparing((Map<String, Object> r) -> String.valueOf(r.get(chart.timeField())))
                    .reversed());
            shown = newestFirst.stream().limit(TOP).toList();
            lines.add(String.format("  latest %s  (%s)", value, chart.title()));
        }
        if (shown.isEmpty()) {
            lines.add("    (no results yet)");
        }
        for (Map<String, Object> r : shown) {
            String label = chart.seriesField() != null ? String.valueOf(r.get(chart.seriesField()))
                    : String.valueOf(r.get(chart.timeField()));
            lines.add(String.format("    %-28s %16s", label, format(r.get(value))));
        }
        return lines;
    }

    /** One line per reading, for output that is not a terminal. */
    public static String line(Observation o) {
        StringBuilder line = new StringBuilder(String.format("%s %s | in %s (%s)", CLOCK.format(Instant.ofEpochMilli(
                o.timeMillis())), o.pipeline(), rate(o.inPerSecond()), count(o.recordsIn())));
        for (Observation.Sink s : o.sinks()) {
            line.append(String.format(" | %s %s (%s)", s.name(), count(s.count()), rate(s.perSecond())));
        }
        long delay = o.watermarkDelayMillis();
        line.append(" | lag ").append(count(o.totalLag()));
        line.append(" | watermark delay ").append(delay < 0 ? "?" : String.format(Locale.ROOT, "%.1fs", delay / 1000.0));
        Observation.Checkpoint c = o.checkpoint();
        line.append(" | checkpoint ").append(c == null ? "-" : String.format("#%d %dms", c.id(), c.durationMillis()));
        return line.toString();
    }

    private static String role(SinkRole role) {
        return role.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String rate(double perSecond) {
        if (Double.isNaN(perSecond) || perSecond < 0) {
            return "?/s";
        }
        return perSecond < 10 ? String.format("%.1f/s", perSecond) : String.format("%,.0f/s", perSecond);
    }

    static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }

    private static String bytes(long n) {
        return n < 0 ? "? B" : n < 10_000 ? n + " B" : n < 10_000_000 ? n / 1000 + " kB" : n / 1_000_000 + " MB";
    }

    private static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Double.NEGATIVE_INFINITY;
        }
    }

    private static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return String.format("%,.2f", ((Number) value).doubleValue());
        }
        if (value instanceof Number n) {
            return String.format("%,d", n.longValue());
        }
        return String.valueOf(value);
    }
}
