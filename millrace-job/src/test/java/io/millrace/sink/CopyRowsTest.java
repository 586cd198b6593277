package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** COPY rows as bytes: text and integers against the JDK's own encoding, and growth past the first buffer. */
class CopyRowsTest {

    /** CSV quoting as PostgreSQL reads it, encoded by the JDK. */
    private static byte[] expectedQuoted(String text) {
        return ("\"" + text.replace("\"", "\"\"") + "\"").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] quoted(String text) throws Exception {
        CopyRows rows = new CopyRows();
        rows.quotedText(text);
        return rows.asInputStream().readAllBytes();
    }

    @Test
    void quotedTextIsTheJdksUtf8WithQuotesDoubled() throws Exception {
        for (String text : List.of("", "AAPL", "say \"hi\"", "\"", "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale", "\u4e2d\u6587",
                "emoji \ud83d\ude00 end", "lone \ud83d high", "lone \ude00 low", "\ud83d", "a,b\nc")) {
            assertThat(quoted(text)).as(text).isEqualTo(expectedQuoted(text));
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(40); j > 0; j--) {
                text.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
            }
            assertThat(quoted(text.toString())).isEqualTo(expectedQuoted(text.toString()));
        }
    }

    @Test
    void integersReadAsLongToString() {
        SplittableRandom random = new SplittableRandom(9);
        CopyRows rows = new CopyRows();
        StringBuilder expected = new StringBuilder();
        long[] edges = {0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
            1_796_171_123_984L};
        for (long value : edges) {
            rows.decimal(value);
            rows.ascii(';');
            expected.append(value).append(';');
        }
        // Far past the first 64 KiB, so the buffer grows along the way.
        for (int i = 0; i < 20_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            rows.decimal(value);
            rows.ascii(';');
            expected.append(value).append(';');
        }
        assertThat(rows.toString()).isEqualTo(expected.toString());
        assertThat(rows.length()).isEqualTo(expected.length());
    }
}
