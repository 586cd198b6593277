package io.millrace.sink;

import java.time.Instant;

/**
 * Epoch milliseconds as ISO-8601 UTC text ({@code 2026-12-01T10:15:30.123Z}) for COPY rows, without the cost of
 * {@link Instant#toString()}'s formatter, which dominated the encoding of a row with two timestamps.
 */
final class UtcTimestampText {
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** Years with four digits; others take the general formatter. */
    private static final long MIN = -62_135_596_800_000L;
    private static final long MAX = 253_402_300_799_999L;

    private UtcTimestampText() {}

    static void append(StringBuilder out, long epochMillis) {
        if (epochMillis < MIN || epochMillis > MAX) {
            out.append(Instant.ofEpochMilli(epochMillis));
            return;
        }
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        // Civil date from days since 1970-01-01, counted in 400-year eras that start on March 1st.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        digits(out, (int) year, 4);
        out.append('-');
        digits(out, month, 2);
        out.append('-');
        digits(out, day, 2);
        out.append('T');
        digits(out, millisOfDay / 3_600_000, 2);
        out.append(':');
        digits(out, millisOfDay / 60_000 % 60, 2);
        out.append(':');
        digits(out, millisOfDay / 1000 % 60, 2);
        out.append('.');
        digits(out, millisOfDay % 1000, 3);
        out.append('Z');
    }

    private static void digits(StringBuilder out, int value, int width) {
        for (int divisor = width == 4 ? 1000 : width == 3 ? 100 : 10; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + value / divisor % 10));
        }
    }
}
