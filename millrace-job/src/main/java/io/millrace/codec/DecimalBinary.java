package io.millrace.codec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of a {@link BigDecimal} for Millrace's serializers: the scale, then the unscaled value as one
 * {@code long} when it fits (every price and trade value in practice), else as two's-complement bytes. Flink's
 * own decimal serializer always goes through a {@link BigInteger} byte array, which costs an allocation and a
 * conversion each way per field.
 */
public final class DecimalBinary {
    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte BYTES = 2;

    private DecimalBinary() {}

    public static void write(BigDecimal value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
            return;
        }
        BigInteger unscaled = value.unscaledValue();
        if (unscaled.bitLength() < Long.SIZE) {
            out.writeByte(LONG);
            out.writeInt(value.scale());
            out.writeLong(unscaled.longValue());
        } else {
            byte[] bytes = unscaled.toByteArray();
            out.writeByte(BYTES);
            out.writeInt(value.scale());
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    public static BigDecimal read(DataInputView in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case NULL:
                return null;
            case LONG: {
                int scale = in.readInt();
                return BigDecimal.valueOf(in.readLong(), scale);
            }
            case BYTES: {
                int scale = in.readInt();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new BigDecimal(new BigInteger(bytes), scale);
            }
            default:
                throw new IOException("corrupt decimal: unknown kind " + kind);
        }
    }
}
