package io.millrace.cli;

import io.millrace.gen.GeneratorRun;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * A progress bar with the achieved rate and time left, toward a record count or a duration (or open
 * ended). Redrawn in place on a terminal; one line every few seconds otherwise (CI logs).
 */
final class ProgressBar implements GeneratorRun.Progress {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final Duration duration;
    private final boolean interactive;
    private long lastLine;

    ProgressBar(PrintWriter out, String label, long total, Duration duration) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.duration = duration;
        this.interactive = Terminal.interactive();
    }

    @Override
    public void update(long done, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double fraction = -1;
        String eta = "";
        if (total > 0) {
            fraction = Math.min(1, (double) done / total);
            if (rate > 0 && done < total) {
                eta = "  ETA " + Terminal.duration(Duration.ofSeconds((long) ((total - done) / rate)));
            }
        } else if (duration != null) {
            fraction = Math.min(1, seconds / Math.max(0.001, duration.toMillis() / 1000.0));
            eta = "  " + Terminal.duration(Duration.ofSeconds(Math.max(0, duration.toSeconds() - (long) seconds))) + " left";
        }
        StringBuilder line = new StringBuilder(label).append(' ');
        if (fraction >= 0) {
            int filled = (int) Math.round(fraction * WIDTH);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append(']')
                    .append(String.format(" %3d%%", Math.round(fraction * 100)));
        }
        line.append(String.format("  %,d%s records  %,.0f rec/s%s", done, total > 0 ? String.format("/%,d", total) : "",
                rate, eta));
        if (interactive) {
            out.print("\r" + line + "   ");
            out.flush();
        } else if (System.currentTimeMillis() - lastLine > 5_000 || (total > 0 && done >= total)) {
            lastLine = System.currentTimeMillis();
            out.println(line);
            out.flush();
        }
    }

    void finish() {
        if (interactive) {
            out.println();
            out.flush();
        }
    }
}
