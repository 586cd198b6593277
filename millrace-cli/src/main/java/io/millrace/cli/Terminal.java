package io.millrace.cli;

import java.time.Duration;

/** Terminal facts and human-readable formatting. */
final class Terminal {

    private Terminal() {}

    /** True when stderr is a terminal: progress is redrawn in place; otherwise it is logged as lines. */
    static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format("%02d", s % 60) + "s";
        }
        return s / 3600 + "h" + String.format("%02d", s % 3600 / 60) + "m";
    }
}
