package io.millrace.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The hand-written serializers of trades and enriched trades: exact round trips, and migration from the POJO format. */
class EventSerializersTest {

    private static final MarketInfo INFO = new MarketInfo("AAPL", "Apple Inc.", "Technology", 2_800_000_000_000L,
            1_700_000_000_000L);

    private static List<BigDecimal> decimals() {
        return List.of(new BigDecimal("178.35"), new BigDecimal("0.0001"), new BigDecimal("1E+3"), BigDecimal.ZERO,
                new BigDecimal("-42.5"), new BigDecimal("9223372036854775807"), new BigDecimal("9223372036854775808"),
                new BigDecimal("-9223372036854775809.123456789"),
                new BigDecimal("0.1000000000000000055511151231257827021181583404541015625"));
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        T read = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after " + value).isZero();
        // copy(in, out) must produce the same bytes.
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return read;
    }

    @Test
    void typeInformationOfTheRecordsIsTheHandWrittenSerializer() {
        assertThat(TypeInformation.of(Trade.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(TradeSerializer.INSTANCE);
        assertThat(TypeInformation.of(EnrichedTrade.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(EnrichedTradeSerializer.INSTANCE);
    }

    @Test
    void tradesRoundTripExactlyWithEveryKindOfDecimal() throws IOException {
        for (BigDecimal price : decimals()) {
            Trade trade = new Trade("t-" + price, "BRK.B", price, 512, -1L, 7);
            Trade read = roundTrip(TradeSerializer.INSTANCE, trade);
            assertThat(read).isEqualTo(trade);
            // Equal as records means equal scale too: 1E+3 stays 1E+3, not 1000.
            assertThat(read.price().scale()).isEqualTo(price.scale());
        }
        Trade unicode = new Trade("\u00e9t\u00e9-\ud83d\ude00", "X", BigDecimal.ONE, Long.MAX_VALUE, Long.MIN_VALUE,
                Integer.MAX_VALUE);
        assertThat(roundTrip(TradeSerializer.INSTANCE, unicode)).isEqualTo(unicode);
    }

    @Test
    void enrichedTradesRoundTripJoinedAndUnknown() throws IOException {
        for (BigDecimal price : decimals()) {
            Trade trade = new Trade("t-1", "AAPL", price, 3, 1_700_000_060_000L, 0);
            for (EnrichedTrade enriched : List.of(EnrichedTrade.joined(trade, INFO), EnrichedTrade.unknown(trade))) {
                assertThat(roundTrip(EnrichedTradeSerializer.INSTANCE, enriched)).isEqualTo(enriched);
            }
        }
        EnrichedTrade partial = new EnrichedTrade("t-2", "X", BigDecimal.TEN, 1, 5, null, "Energy", 12L, null,
                BigDecimal.TEN, true);
        assertThat(roundTrip(EnrichedTradeSerializer.INSTANCE, partial)).isEqualTo(partial);
    }

    @Test
    void stateWrittenWithFlinksPojoSerializerMigrates() throws Exception {
        assertMigratesFrom(Trade.class, TradeSerializer.INSTANCE,
                new Trade("t-1", "AAPL", new BigDecimal("178.35"), 512, 1_700_000_000_000L, 3));
        assertMigratesFrom(EnrichedTrade.class, EnrichedTradeSerializer.INSTANCE, EnrichedTrade.joined(
                new Trade("t-1", "AAPL", new BigDecimal("178.35"), 512, 1_700_000_000_000L, 3), INFO));
    }

    /** What an earlier Millrace wrote (Flink's POJO serializer) is readable, and the new format says it migrates. */
    private static <T> void assertMigratesFrom(Class<T> type, TypeSerializer<T> current, T value) throws Exception {
        List<PojoField> fields = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                fields.add(new PojoField(field, TypeExtractor.createTypeInfo(field.getGenericType())));
            }
        }
        TypeSerializer<T> pojo = new PojoTypeInfo<>(type, fields).createSerializer(new SerializerConfigImpl());
        TypeSerializerSnapshot<T> oldSnapshot = pojo.snapshotConfiguration();

        assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot).isCompatibleAfterMigration())
                .isTrue();
        assertThat(current.snapshotConfiguration().resolveSchemaCompatibility(current.snapshotConfiguration())
                .isCompatibleAsIs()).isTrue();
        // Migration reads with the restored old serializer and writes with the new one.
        DataOutputSerializer out = new DataOutputSerializer(64);
        pojo.serialize(value, out);
        T read = oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(roundTrip(current, read)).isEqualTo(value);
    }
}
