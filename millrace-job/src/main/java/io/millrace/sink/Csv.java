package io.millrace.sink;

import java.math.BigDecimal;
import java.time.Instant;

/** Appends values in PostgreSQL's CSV COPY format: an unquoted empty field is NULL. */
final class Csv {

    private Csv() {}

    static void text(StringBuilder csv, String value) {
        if (value == null) {
            return;
        }
        csv.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                csv.append('"');
            }
            csv.append(c);
        }
        csv.append('"');
    }

    static void number(StringBuilder csv, BigDecimal value) {
        if (value != null) {
            csv.append(value.toPlainString());
        }
    }

    static void number(StringBuilder csv, Long value) {
        if (value != null) {
            csv.append(value.longValue());
        }
    }

    static void timestamp(StringBuilder csv, Long epochMillis) {
        if (epochMillis != null) {
            csv.append(Instant.ofEpochMilli(epochMillis));
        }
    }

    static void sep(StringBuilder csv) {
        csv.append(',');
    }

    static void end(StringBuilder csv) {
        csv.append('\n');
    }
}
