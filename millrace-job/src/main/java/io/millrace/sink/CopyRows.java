package io.millrace.sink;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The rows of one COPY ... FROM STDIN (FORMAT csv), written straight as UTF-8 bytes: no text builder to copy into a
 * String and then encode, no intermediate String for a number or a timestamp. One per writer thread.
 */
final class CopyRows {
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
        10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
        10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L,
        100_000_000_000_000_000L};

    private byte[] bytes = new byte[1 << 16];
    private int length;
    /** The day of the last timestamp written, and its {@code yyyy-mm-ddT} text. */
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] cachedDayText = new byte[11];

    void clear() {
        length = 0;
    }

    int length() {
        return length;
    }

    InputStream asInputStream() {
        return new ByteArrayInputStream(bytes, 0, length);
    }

    /** The rows as text (for tests and messages). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** One ASCII character. */
    void ascii(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    /** A string of ASCII characters only (a number's or an instant's text). */
    void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
    }

    /** {@code value} in decimal. */
    void decimal(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    /** A CSV field that is always quoted: doubled quotes inside, UTF-8 encoded. */
    void quotedText(String text) {
        ensure(text.length() * 3 + 2);
        bytes[length++] = '"';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c == '"') {
                    bytes[length++] = '"';
                }
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | (c >> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                bytes[length++] = (byte) (0xF0 | (cp >> 18));
                bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate is not text; the JDK's encoder writes '?' for it too.
                bytes[length++] = '?';
            } else {
                bytes[length++] = (byte) (0xE0 | (c >> 12));
                bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        bytes[length++] = '"';
    }

    /**
     * The same text as {@link BigDecimal#toPlainString()}, written straight into the rows: that method builds a
     * String for every price and value, and was the largest cost of encoding a COPY batch.
     */
    void plainDecimal(BigDecimal value) {
        int scale = value.scale();
        if (scale < 0 || scale >= POWERS_OF_TEN.length || value.precision() > 18) {
            ascii(value.toPlainString());
            return;
        }
        // At most 18 digits: the unscaled value fits a long, and negating it cannot overflow.
        long unscaled = value.unscaledValue().longValue();
        if (unscaled < 0) {
            ascii('-');
            unscaled = -unscaled;
        }
        long power = POWERS_OF_TEN[scale];
        decimal(unscaled / power);
        if (scale > 0) {
            long fraction = unscaled % power;
            ascii('.');
            ensure(scale);
            for (int i = length + scale - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + fraction % 10);
                fraction /= 10;
            }
            length += scale;
        }
    }

    /** Epoch milliseconds as ISO-8601 UTC text ({@code 2026-12-01T10:15:30.123Z}); see {@link UtcTimestampText}. */
    void utcTimestamp(long epochMillis) {
        if (!UtcTimestampText.hasFourDigitYear(epochMillis)) {
            ascii(Instant.ofEpochMilli(epochMillis).toString());
            return;
        }
        long day = Math.floorDiv(epochMillis, UtcTimestampText.MILLIS_PER_DAY);
        if (day != cachedDay) {
            UtcTimestampText.writeDate(day, cachedDayText);
            cachedDay = day;
        }
        ensure(24);
        System.arraycopy(cachedDayText, 0, bytes, length, cachedDayText.length);
        length += cachedDayText.length;
        length = UtcTimestampText.writeTime((int) Math.floorMod(epochMillis, UtcTimestampText.MILLIS_PER_DAY), bytes,
                length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
