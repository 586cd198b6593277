package io.millrace.codec;

import io.millrace.model.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Reads the common shape of a valid {@code stock-trades} record straight from its bytes, without a JSON parser;
 * answers null for anything else, which then goes through {@link TradeJsonDecoder}'s full reading.
 *
 * <p>It accepts only what it can read with certainty: one flat object, plain ASCII strings without escapes,
 * numbers without exponent and of at most 18 digits, unknown fields holding a string, a number or a literal, and
 * values that pass every rule of the full reading. Everything it does not accept, valid or not, is left to the full
 * reading, so the reasons given for bad records (and the rare valid record in an unusual form) stay the full
 * reading's own.
 */
final class TradeJsonScanner {

    private static final byte[] TRADE_ID = ascii("trade_id");
    private static final byte[] SYMBOL = ascii("symbol");
    private static final byte[] PRICE = ascii("price");
    private static final byte[] VOLUME = ascii("volume");
    private static final byte[] TRADE_TIMESTAMP = ascii("trade_timestamp");
    private static final int MAX_DIGITS = 18;
    private static final int MAX_UNKNOWN_FIELDS = 8;
    private static final int MAX_TRADE_ID_LENGTH = 128;
    private static final int MAX_SYMBOL_LENGTH = 16;
    private static final int MAX_NAME_LENGTH = 256;

    private final byte[] bytes;
    private int pos;
    // The number last read: its digits without the point, its count of decimals, whether it had a sign.
    private long unscaled;
    private int scale;
    private boolean negative;
    // Where the string last read starts and ends (exclusive).
    private int textStart;
    private int textEnd;

    private TradeJsonScanner(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The trade in {@code bytes} if it has the common shape and is valid, otherwise null. */
    static Trade scan(byte[] bytes, RecordOrigin origin, long now, long maxFutureMillis) {
        return bytes == null ? null : new TradeJsonScanner(bytes).trade(origin, now, maxFutureMillis);
    }

    private Trade trade(RecordOrigin origin, long now, long maxFutureMillis) {
        String tradeId = null;
        String symbol = null;
        BigDecimal price = null;
        long volume = 0;
        long timestamp = 0;
        int seen = 0;
        int[] unknownStarts = null;
        int[] unknownEnds = null;
        int unknown = 0;

        skipSpace();
        if (!take('{')) {
            return null;
        }
        skipSpace();
        if (at('}')) {
            return null;
        }
        while (true) {
            if (!string()) {
                return null;
            }
            int nameStart = textStart;
            int nameEnd = textEnd;
            // The strict parser limits names (to 50 000 bytes by default); no real field name comes near this one.
            if (nameEnd - nameStart > MAX_NAME_LENGTH) {
                return null;
            }
            skipSpace();
            if (!take(':')) {
                return null;
            }
            skipSpace();
            int field = field(nameStart, nameEnd);
            if (field != 0) {
                if ((seen & field) != 0) {
                    return null;
                }
                seen |= field;
            }
            switch (field) {
                case 1 -> {
                    if (!string()) {
                        return null;
                    }
                    int length = textEnd - textStart;
                    if (length > MAX_TRADE_ID_LENGTH || isBlank(textStart, textEnd)) {
                        return null;
                    }
                    tradeId = new String(bytes, textStart, length, StandardCharsets.ISO_8859_1);
                }
                case 2 -> {
                    if (!string() || !isSymbol(textStart, textEnd)) {
                        return null;
                    }
                    symbol = new String(bytes, textStart, textEnd - textStart, StandardCharsets.ISO_8859_1);
                }
                case 4 -> {
                    if (!number(true) || negative || unscaled == 0) {
                        return null;
                    }
                    price = BigDecimal.valueOf(unscaled, scale);
                }
                case 8 -> {
                    if (!number(false) || negative || unscaled == 0) {
                        return null;
                    }
                    volume = unscaled;
                }
                case 16 -> {
                    // "-0" is a valid JSON integer whose value, 0, is a valid timestamp.
                    if (!number(false) || negative && unscaled != 0 || unscaled - now > maxFutureMillis) {
                        return null;
                    }
                    timestamp = unscaled;
                }
                default -> {
                    if (unknown == 0) {
                        unknownStarts = new int[MAX_UNKNOWN_FIELDS];
                        unknownEnds = new int[MAX_UNKNOWN_FIELDS];
                    } else if (unknown == MAX_UNKNOWN_FIELDS) {
                        return null;
                    }
                    for (int i = 0; i < unknown; i++) {
                        if (sameBytes(unknownStarts[i], unknownEnds[i], nameStart, nameEnd)) {
                            return null;
                        }
                    }
                    unknownStarts[unknown] = nameStart;
                    unknownEnds[unknown] = nameEnd;
                    unknown++;
                    if (!scalar()) {
                        return null;
                    }
                }
            }
            skipSpace();
            if (take(',')) {
                skipSpace();
            } else if (take('}')) {
                break;
            } else {
                return null;
            }
        }
        skipSpace();
        if (pos != bytes.length || (seen & 30) != 30) {
            return null;
        }
        return new Trade(tradeId != null ? tradeId : origin.asKey(), symbol, price, volume, timestamp, origin.partition());
    }

    /** The bit of a known field's name, 0 for any other name. */
    private int field(int start, int end) {
        return sameBytes(start, end, SYMBOL) ? 2
                : sameBytes(start, end, PRICE) ? 4
                : sameBytes(start, end, VOLUME) ? 8
                : sameBytes(start, end, TRADE_TIMESTAMP) ? 16
                : sameBytes(start, end, TRADE_ID) ? 1
                : 0;
    }

    /** A string of printable ASCII without escapes; sets {@link #textStart} and {@link #textEnd}. */
    private boolean string() {
        if (!take('"')) {
            return false;
        }
        int start = pos;
        while (pos < bytes.length) {
            byte b = bytes[pos];
            if (b == '"') {
                textStart = start;
                textEnd = pos++;
                return true;
            }
            if (b < 0x20 || b > 0x7e || b == '\\') {
                return false;
            }
            pos++;
        }
        return false;
    }

    /**
     * A JSON number of at most {@link #MAX_DIGITS} digits without exponent; a fraction only where {@code decimal}
     * (an integer field written {@code 5.0} is the full reading's to reject). Sets {@link #unscaled},
     * {@link #scale} and {@link #negative}.
     */
    private boolean number(boolean decimal) {
        negative = take('-');
        int start = pos;
        long value = 0;
        while (pos < bytes.length && bytes[pos] >= '0' && bytes[pos] <= '9') {
            value = value * 10 + (bytes[pos++] - '0');
        }
        int integerDigits = pos - start;
        if (integerDigits == 0 || integerDigits > 1 && bytes[start] == '0') {
            return false;
        }
        int fraction = 0;
        if (at('.')) {
            if (!decimal) {
                return false;
            }
            pos++;
            int fractionStart = pos;
            while (pos < bytes.length && bytes[pos] >= '0' && bytes[pos] <= '9') {
                value = value * 10 + (bytes[pos++] - '0');
            }
            fraction = pos - fractionStart;
            if (fraction == 0) {
                return false;
            }
        }
        if (integerDigits + fraction > MAX_DIGITS || at('e') || at('E')) {
            return false;
        }
        unscaled = value;
        scale = fraction;
        return true;
    }

    /** Skips the value of an unknown field when it is a string, a number or a literal. */
    private boolean scalar() {
        if (pos >= bytes.length) {
            return false;
        }
        byte b = bytes[pos];
        if (b == '"') {
            return string();
        }
        if (b == '-' || b >= '0' && b <= '9') {
            return number(true);
        }
        return literal("true") || literal("false") || literal("null");
    }

    private boolean literal(String word) {
        int length = word.length();
        if (pos + length > bytes.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        // "nullx" (and "truefalse") is the full reading's to reject: a literal must end at a separator, and the
        // position moves only past a whole literal.
        int end = pos + length;
        if (end < bytes.length && !isSpace(bytes[end]) && bytes[end] != ',' && bytes[end] != '}') {
            return false;
        }
        pos = end;
        return true;
    }

    private boolean isSymbol(int start, int end) {
        int length = end - start;
        if (length < 1 || length > MAX_SYMBOL_LENGTH) {
            return false;
        }
        for (int i = start; i < end; i++) {
            byte c = bytes[i];
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Blank as {@link String#isBlank()} sees printable ASCII: nothing but spaces. */
    private boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            if (bytes[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    private boolean sameBytes(int start, int end, byte[] word) {
        if (end - start != word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (bytes[start + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean sameBytes(int start, int end, int otherStart, int otherEnd) {
        if (end - start != otherEnd - otherStart) {
            return false;
        }
        for (int i = 0; i < end - start; i++) {
            if (bytes[start + i] != bytes[otherStart + i]) {
                return false;
            }
        }
        return true;
    }

    private void skipSpace() {
        while (pos < bytes.length && isSpace(bytes[pos])) {
            pos++;
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private boolean at(char c) {
        return pos < bytes.length && bytes[pos] == c;
    }

    private boolean take(char c) {
        if (at(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private static byte[] ascii(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }
}
