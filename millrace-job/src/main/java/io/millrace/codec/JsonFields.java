package io.millrace.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Typed, strict reads of JSON object fields on a streaming parser: a wrong type is an error naming the
 * field, never a silent coercion (a price sent as a string is ill-typed, not "178.35").
 */
public final class JsonFields {

    /** Shared factory of Millrace's JSON writers. */
    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    /**
     * The factory records are parsed with, one per thread: parsers share their factory's table of field names, which
     * two decoding threads on two cores would contend for. Duplicate names are found by {@link #readObject} itself,
     * which costs less than the parser's own check (a hash set per object).
     */
    private static final ThreadLocal<JsonFactory> PARSERS = ThreadLocal.withInitial(() -> JsonFactory.builder().build());
    /** Field names an object may have before their duplicate check switches from a scan to a hash set. */
    private static final int FEW_NAMES = 12;

    private JsonFields() {}

    /** Reads one field of an object; answers false for a field it does not know, which is then skipped. */
    @FunctionalInterface
    public interface FieldReader {
        boolean read(String field, JsonParser parser, JsonToken value) throws InvalidRecordException, IOException;
    }

    /**
     * Reads {@code bytes} as exactly one JSON object, handing each field to {@code reader}: anything else (not
     * an object, unterminated, trailing data, malformed JSON) is an invalid record.
     */
    public static void readObject(byte[] bytes, FieldReader reader) throws InvalidRecordException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRecordException("empty record");
        }
        try (JsonParser parser = PARSERS.get().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("invalid JSON: expected an object, got " + describe(first));
            }
            JsonToken token;
            FieldNames names = new FieldNames();
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                names.add(field);
                JsonToken value = parser.nextToken();
                if (!reader.read(field, parser, value)) {
                    skipValue(parser, value);
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new InvalidRecordException("invalid JSON: unterminated object");
            }
            if (parser.nextToken() != null) {
                throw new InvalidRecordException("invalid JSON: trailing data after the object");
            }
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the value that starts at {@code token}, checking every object within it for duplicate names too. */
    private static void skipValue(JsonParser parser, JsonToken token) throws InvalidRecordException, IOException {
        if (token == JsonToken.START_OBJECT) {
            FieldNames names = new FieldNames();
            JsonToken next;
            while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                names.add(parser.currentName());
                skipValue(parser, parser.nextToken());
            }
            if (next != JsonToken.END_OBJECT) {
                throw new InvalidRecordException("invalid JSON: unterminated object");
            }
        } else if (token == JsonToken.START_ARRAY) {
            JsonToken next;
            while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (next == null) {
                    throw new InvalidRecordException("invalid JSON: unterminated array");
                }
                skipValue(parser, next);
            }
        }
    }

    /**
     * The names of one object's fields so far: a name seen twice makes the record invalid, because "which one
     * counts" has no good answer.
     */
    private static final class FieldNames {
        private String[] few = new String[FEW_NAMES];
        private int count;
        private Set<String> many;

        void add(String name) throws InvalidRecordException {
            boolean added;
            if (many != null) {
                added = many.add(name);
            } else {
                added = true;
                for (int i = 0; i < count; i++) {
                    if (few[i].equals(name)) {
                        added = false;
                        break;
                    }
                }
                if (added) {
                    if (count == few.length) {
                        many = new HashSet<>(Arrays.asList(few));
                        many.add(name);
                        few = null;
                    } else {
                        few[count++] = name;
                    }
                }
            }
            if (!added) {
                throw new InvalidRecordException("invalid JSON: Duplicate field '" + name + "'");
            }
        }
    }

    /** {@code value}, or the "missing field" error when a required field was absent (null). */
    public static <T> T required(T value, String field) throws InvalidRecordException {
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    public static InvalidRecordException invalidJson(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return new InvalidRecordException("invalid JSON: " + (newline < 0 ? message : message.substring(0, newline)));
    }

    public static String text(JsonParser parser, JsonToken token, String field) throws InvalidRecordException, IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw illTyped(field, "a string", parser, token);
        }
        return parser.getText();
    }

    public static String nonEmptyText(JsonParser parser, JsonToken token, String field, int maxLength)
            throws InvalidRecordException, IOException {
        String value = text(parser, token, field);
        if (value.isBlank() || value.length() > maxLength) {
            throw new InvalidRecordException("field '" + field + "' must be a non-empty string of at most "
                    + maxLength + " characters, got " + quote(value));
        }
        return value;
    }

    /**
     * An identifier written as a string or as an integer (producers differ: the original payments generator
     * sends a JSON number), kept as text: {@code 482913} and {@code "482913"} are the same id.
     */
    public static String identifier(JsonParser parser, JsonToken token, String field, int maxLength)
            throws InvalidRecordException, IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getText();
        }
        if (token != JsonToken.VALUE_STRING) {
            throw illTyped(field, "a string or an integer", parser, token);
        }
        return nonEmptyText(parser, token, field, maxLength);
    }

    public static String symbol(JsonParser parser, JsonToken token, String field) throws InvalidRecordException, IOException {
        String value = text(parser, token, field);
        if (!isSymbol(value)) {
            throw new InvalidRecordException("field '" + field + "' must match [A-Z0-9.-]{1,16}, got " + quote(value));
        }
        return value;
    }

    /** {@code [A-Z0-9.-]{1,16}}, checked by hand: a regular expression per trade was a measurable cost. */
    static boolean isSymbol(String value) {
        int length = value.length();
        if (length < 1 || length > 16) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A JSON integer that fits a long. */
    public static long integer(JsonParser parser, JsonToken token, String field) throws InvalidRecordException, IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw illTyped(field, "an integer", parser, token);
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidRecordException("field '" + field + "' is out of range: " + parser.getText());
        }
        return parser.getLongValue();
    }

    public static long positiveInteger(JsonParser parser, JsonToken token, String field)
            throws InvalidRecordException, IOException {
        long value = integer(parser, token, field);
        if (value <= 0) {
            throw new InvalidRecordException("field '" + field + "' must be a positive integer, got " + value);
        }
        return value;
    }

    public static long nonNegativeInteger(JsonParser parser, JsonToken token, String field)
            throws InvalidRecordException, IOException {
        long value = integer(parser, token, field);
        if (value < 0) {
            throw new InvalidRecordException("field '" + field + "' must not be negative, got " + value);
        }
        return value;
    }

    /** A JSON number read exactly as written (no binary floating point in between). */
    public static BigDecimal positiveDecimal(JsonParser parser, JsonToken token, String field)
            throws InvalidRecordException, IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw illTyped(field, "a number", parser, token);
        }
        BigDecimal value = parser.getDecimalValue();
        if (value.signum() <= 0) {
            throw new InvalidRecordException("field '" + field + "' must be greater than 0, got " + value.toPlainString());
        }
        return value;
    }

    /** A JSON number read exactly, zero allowed. */
    public static BigDecimal nonNegativeDecimal(JsonParser parser, JsonToken token, String field)
            throws InvalidRecordException, IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw illTyped(field, "a number", parser, token);
        }
        BigDecimal value = parser.getDecimalValue();
        if (value.signum() < 0) {
            throw new InvalidRecordException("field '" + field + "' must not be negative, got " + value.toPlainString());
        }
        return value;
    }

    /** Rejects event times too far ahead of the wall clock (a clock or unit error upstream). */
    public static long notInFuture(long value, String field, long now, long maxFutureMillis) throws InvalidRecordException {
        if (value - now > maxFutureMillis) {
            throw new InvalidRecordException("field '" + field + "' is " + (value - now) / 1000
                    + " s in the future (at most " + maxFutureMillis / 1000 + " s allowed)");
        }
        return value;
    }

    /** An epoch-millisecond timestamp that is not implausibly far ahead of the wall clock. */
    public static long timestamp(JsonParser parser, JsonToken token, String field, long now, long maxFutureMillis)
            throws InvalidRecordException, IOException {
        return notInFuture(nonNegativeInteger(parser, token, field), field, now, maxFutureMillis);
    }

    public static InvalidRecordException missing(String field) {
        return new InvalidRecordException("missing field '" + field + "'");
    }

    static InvalidRecordException illTyped(String field, String expected, JsonParser parser, JsonToken token)
            throws IOException {
        String got = switch (token) {
            case VALUE_STRING -> "string " + quote(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + parser.getText();
            default -> describe(token);
        };
        return new InvalidRecordException("field '" + field + "' must be " + expected + ", got " + got);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> token.toString();
        };
    }

    private static String quote(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return '"' + shown + '"';
    }
}
