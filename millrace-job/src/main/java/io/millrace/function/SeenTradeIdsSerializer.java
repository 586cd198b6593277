package io.millrace.function;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Checkpoint format of {@link SeenTradeIds}: the ids grouped by the clean-up time of their window. */
public final class SeenTradeIdsSerializer extends TypeSerializerSingleton<SeenTradeIds> {
    private static final long serialVersionUID = 1L;
    public static final SeenTradeIdsSerializer INSTANCE = new SeenTradeIdsSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SeenTradeIds createInstance() {
        return new SeenTradeIds();
    }

    @Override
    public SeenTradeIds copy(SeenTradeIds from) {
        return from.copy();
    }

    @Override
    public SeenTradeIds copy(SeenTradeIds from, SeenTradeIds reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeenTradeIds seen, DataOutputView out) throws IOException {
        seen.write(out);
    }

    @Override
    public SeenTradeIds deserialize(DataInputView in) throws IOException {
        return SeenTradeIds.read(in);
    }

    @Override
    public SeenTradeIds deserialize(SeenTradeIds reuse, DataInputView in) throws IOException {
        return SeenTradeIds.read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        SeenTradeIds.read(in).write(out);
    }

    @Override
    public TypeSerializerSnapshot<SeenTradeIds> snapshotConfiguration() {
        return new SeenTradeIdsSnapshot();
    }

    /** Snapshot of {@link SeenTradeIdsSerializer}. */
    public static final class SeenTradeIdsSnapshot extends SimpleTypeSerializerSnapshot<SeenTradeIds> {
        public SeenTradeIdsSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
