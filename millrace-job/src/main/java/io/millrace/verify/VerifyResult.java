package io.millrace.verify;

import java.io.PrintWriter;
import java.util.List;

/** What {@code verify} found for one pipeline: a check per sink, and whether the pipeline had caught up. */
public interface VerifyResult {

    List<TableCheck> checks();

    /** Records read from the input topics. */
    long inputRecords();

    /** The check of the main results (a table or the output topic). */
    TableCheck results();

    /** The check of the events beyond the allowed lateness. */
    TableCheck late();

    /** The check of the dead-letter topic, with the reasons of its records. */
    DeadLetterCheck.Report deadLetterReport();

    /** The check of the dead-letter topic. */
    default TableCheck deadLetters() {
        return deadLetterReport().check();
    }

    /** Input records the pipeline had not committed when verify compared (0: caught up). */
    long lag();

    default long differences() {
        return checks().stream().mapToLong(TableCheck::differences).sum();
    }

    /** 0: identical; 1: differences; 2: the pipeline had not caught up, so the comparison is incomplete. */
    default int exitCode() {
        if (differences() > 0) {
            return 1;
        }
        return lag() > 0 ? 2 : 0;
    }

    /** The last line of a report: OK, INCOMPLETE or FAILED, and why. */
    default void printVerdict(PrintWriter out) {
        if (lag() > 0) {
            out.printf("INCOMPLETE: the pipeline has not processed %,d input records yet; run verify again when it has "
                    + "caught up (or wait longer with --wait)%n", lag());
        } else if (differences() == 0) {
            out.println("OK: 0 differences");
        } else {
            String rejected = deadLetterReport().failure();
            out.printf("FAILED: %,d differences%s%n", differences(), rejected == null ? "" : "; " + rejected);
        }
    }

    default TableCheck check(String name) {
        return checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
