package io.millrace.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Binary form of a String for Millrace's serializers: a header, then, for text of Latin-1 characters only (symbols,
 * trade ids, sector names in practice), one byte per character copied in one piece; other text in Flink's own
 * string format. Flink's format alone goes one character at a time each way, through a per-thread buffer.
 */
public final class StringBinary {
    private static final int NULL = -1;
    /** Header bit of text in Flink's format; the other bits are the length. */
    private static final int GENERAL = 1;
    private static final int MAX_LATIN1_LENGTH = 1 << 29;

    private StringBinary() {}

    public static void write(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(NULL);
            return;
        }
        int length = value.length();
        if (length <= MAX_LATIN1_LENGTH && isLatin1(value)) {
            out.writeInt(length << 1);
            out.write(value.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.writeInt(GENERAL);
            StringValue.writeString(value, out);
        }
    }

    public static String read(DataInputView in) throws IOException {
        int header = in.readInt();
        if (header == NULL) {
            return null;
        }
        if ((header & GENERAL) != 0) {
            return StringValue.readString(in);
        }
        byte[] bytes = new byte[header >>> 1];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static boolean isLatin1(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
