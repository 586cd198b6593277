package io.millrace.codec;

import io.millrace.model.EnrichedTrade;
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
 * Network and state format of an {@link EnrichedTrade}: a flags byte (enriched; which nullable info fields are
 * present), then the fields in order, text as {@link StringBinary}, decimals as {@link DecimalBinary}.
 */
public final class EnrichedTradeSerializer extends ImmutableRecordSerializer<EnrichedTrade> {
    private static final long serialVersionUID = 1L;
    public static final EnrichedTradeSerializer INSTANCE = new EnrichedTradeSerializer();

    private static final int ENRICHED = 1;
    private static final int HAS_COMPANY = 2;
    private static final int HAS_MARKET_CAP = 4;
    private static final int HAS_INFO_TIMESTAMP = 8;

    @Override
    public EnrichedTrade createInstance() {
        return new EnrichedTrade("", "", BigDecimal.ZERO, 0, 0, null, EnrichedTrade.UNKNOWN_SECTOR, null, null,
                BigDecimal.ZERO, false);
    }

    @Override
    public void serialize(EnrichedTrade trade, DataOutputView out) throws IOException {
        int flags = (trade.enriched() ? ENRICHED : 0) | (trade.company() != null ? HAS_COMPANY : 0)
                | (trade.marketCap() != null ? HAS_MARKET_CAP : 0)
                | (trade.infoTimestamp() != null ? HAS_INFO_TIMESTAMP : 0);
        out.writeByte(flags);
        StringBinary.write(trade.tradeId(), out);
        StringBinary.write(trade.symbol(), out);
        DecimalBinary.write(trade.price(), out);
        out.writeLong(trade.volume());
        out.writeLong(trade.tradeTimestamp());
        if (trade.company() != null) {
            StringBinary.write(trade.company(), out);
        }
        StringBinary.write(trade.sector(), out);
        if (trade.marketCap() != null) {
            out.writeLong(trade.marketCap());
        }
        if (trade.infoTimestamp() != null) {
            out.writeLong(trade.infoTimestamp());
        }
        DecimalBinary.write(trade.tradeValue(), out);
    }

    @Override
    public EnrichedTrade deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        String tradeId = StringBinary.read(in);
        String symbol = StringBinary.read(in);
        BigDecimal price = DecimalBinary.read(in);
        long volume = in.readLong();
        long tradeTimestamp = in.readLong();
        String company = (flags & HAS_COMPANY) != 0 ? StringBinary.read(in) : null;
        String sector = StringBinary.read(in);
        Long marketCap = (flags & HAS_MARKET_CAP) != 0 ? in.readLong() : null;
        Long infoTimestamp = (flags & HAS_INFO_TIMESTAMP) != 0 ? in.readLong() : null;
        BigDecimal tradeValue = DecimalBinary.read(in);
        return new EnrichedTrade(tradeId, symbol, price, volume, tradeTimestamp, company, sector, marketCap,
                infoTimestamp, tradeValue, (flags & ENRICHED) != 0);
    }

    @Override
    public TypeSerializerSnapshot<EnrichedTrade> snapshotConfiguration() {
        return new EnrichedTradeSnapshot();
    }

    /** Snapshot of {@link EnrichedTradeSerializer}. */
    public static final class EnrichedTradeSnapshot extends ImmutableRecordSerializer.Snapshot<EnrichedTrade> {
        public EnrichedTradeSnapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes {@code TypeInformation.of(EnrichedTrade.class)} this serializer's type. */
    public static final class TypeFactory extends TypeInfoFactory<EnrichedTrade> {
        @Override
        public TypeInformation<EnrichedTrade> createTypeInfo(Type type,
                Map<String, TypeInformation<?>> genericParameters) {
            return new ExplicitTypeInfo<>(EnrichedTrade.class, INSTANCE);
        }
    }
}
