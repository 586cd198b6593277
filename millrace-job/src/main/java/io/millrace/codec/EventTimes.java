package io.millrace.codec;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Parsing of the textual event times the inputs carry. */
public final class EventTimes {

    /** {@code 2023-02-08 10:00:01.123}, fraction optional (the payments input). */
    private static final DateTimeFormatter NAIVE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private EventTimes() {}

    /** ISO-8601 with an offset or {@code Z}; without one the time is read as UTC. */
    public static long iso(String text, String field) throws InvalidRecordException {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidRecordException("field '" + field + "' must be an ISO-8601 time such as "
                        + "2025-11-24T10:50:09Z, got \"" + abbreviate(text) + "\"");
            }
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]} read in {@code zone}. */
    public static long naive(String text, String field, ZoneId zone) throws InvalidRecordException {
        try {
            return LocalDateTime.parse(text, NAIVE).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("field '" + field + "' must look like 2023-02-08 10:00:01.123, got \""
                    + abbreviate(text) + "\"");
        }
    }

    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
