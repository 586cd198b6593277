package io.millrace.codec;

import io.millrace.model.Trade;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Network and state format of a {@link Trade}: its fields in order, text as {@link StringBinary}, the price as
 * {@link DecimalBinary}.
 */
public final class TradeSerializer extends ImmutableRecordSerializer<Trade> {
    private static final long serialVersionUID = 1L;
    public static final TradeSerializer INSTANCE = new TradeSerializer();

    @Override
    public Trade createInstance() {
        return new Trade("", "", BigDecimal.ZERO, 0, 0, 0);
    }

    @Override
    public void serialize(Trade trade, DataOutputView out) throws IOException {
        StringBinary.write(trade.tradeId(), out);
        StringBinary.write(trade.symbol(), out);
        DecimalBinary.write(trade.price(), out);
        out.writeLong(trade.volume());
        out.writeLong(trade.timestamp());
        out.writeInt(trade.partition());
    }

    @Override
    public Trade deserialize(DataInputView in) throws IOException {
        return new Trade(StringBinary.read(in), StringBinary.read(in), DecimalBinary.read(in), in.readLong(),
                in.readLong(), in.readInt());
    }

    @Override
    public TypeSerializerSnapshot<Trade> snapshotConfiguration() {
        return new TradeSnapshot();
    }

    /** Snapshot of {@link TradeSerializer}. */
    public static final class TradeSnapshot extends ImmutableRecordSerializer.Snapshot<Trade> {
        public TradeSnapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes {@code TypeInformation.of(Trade.class)} this serializer's type (see {@link Trade}'s annotation). */
    public static final class TypeFactory extends TypeInfoFactory<Trade> {
        @Override
        public TypeInformation<Trade> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new ExplicitTypeInfo<>(Trade.class, INSTANCE);
        }
    }
}
