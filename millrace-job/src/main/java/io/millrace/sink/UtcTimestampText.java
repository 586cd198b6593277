package io.millrace.sink;

/**
 * Epoch milliseconds as ISO-8601 UTC text ({@code 2026-12-01T10:15:30.123Z}) for COPY rows, as ASCII bytes, without
 * the cost of {@link java.time.Instant#toString()}'s formatter, which dominated the encoding of a row with two
 * timestamps. Years outside 0001-9999 are left to that formatter.
 */
final class UtcTimestampText {
    static final long MILLIS_PER_DAY = 86_400_000L;
    /** Years with four digits; others take the general formatter. */
    private static final long MIN = -62_135_596_800_000L;
    private static final long MAX = 253_402_300_799_999L;

    private UtcTimestampText() {}

    static boolean hasFourDigitYear(long epochMillis) {
        return epochMillis >= MIN && epochMillis <= MAX;
    }

    /** {@code yyyy-mm-ddT} of the day {@code days} after 1970-01-01, into the first 11 bytes of {@code out}. */
    static void writeDate(long days, byte[] out) {
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
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
    }

    /** {@code hh:mm:ss.SSSZ} of {@code millisOfDay} into {@code out} at {@code at}; returns the index after it. */
    static int writeTime(int millisOfDay, byte[] out, int at) {
        digits(out, at, millisOfDay / 3_600_000, 2);
        out[at + 2] = ':';
        digits(out, at + 3, millisOfDay / 60_000 % 60, 2);
        out[at + 5] = ':';
        digits(out, at + 6, millisOfDay / 1000 % 60, 2);
        out[at + 8] = '.';
        digits(out, at + 9, millisOfDay % 1000, 3);
        out[at + 12] = 'Z';
        return at + 13;
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
