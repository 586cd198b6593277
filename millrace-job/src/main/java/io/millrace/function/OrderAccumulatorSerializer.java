package io.millrace.function;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Checkpoint format of {@link OrderAccumulator}: totals, then the user ids or the sketch's bytes. */
public final class OrderAccumulatorSerializer extends TypeSerializerSingleton<OrderAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final OrderAccumulatorSerializer INSTANCE = new OrderAccumulatorSerializer();

    private static final byte EXACT = 0;
    private static final byte SKETCH = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public OrderAccumulator createInstance() {
        return OrderAccumulator.exact();
    }

    @Override
    public OrderAccumulator copy(OrderAccumulator from) {
        OrderAccumulator to = new OrderAccumulator();
        to.orders = from.orders;
        to.revenue = from.revenue;
        if (from.users != null) {
            to.users = new HashSet<>(from.users);
        } else {
            to.sketch = from.sketch.copy();
        }
        return to;
    }

    @Override
    public OrderAccumulator copy(OrderAccumulator from, OrderAccumulator reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(OrderAccumulator acc, DataOutputView out) throws IOException {
        out.writeLong(acc.orders);
        byte[] unscaled = acc.revenue.unscaledValue().toByteArray();
        out.writeInt(acc.revenue.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
        if (acc.users != null) {
            out.writeByte(EXACT);
            out.writeInt(acc.users.size());
            for (String user : acc.users) {
                out.writeUTF(user);
            }
        } else {
            out.writeByte(SKETCH);
            byte[] bytes = acc.sketch.toUpdatableByteArray();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public OrderAccumulator deserialize(DataInputView in) throws IOException {
        OrderAccumulator acc = new OrderAccumulator();
        acc.orders = in.readLong();
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        acc.revenue = new BigDecimal(new BigInteger(unscaled), scale);
        if (in.readByte() == EXACT) {
            int n = in.readInt();
            acc.users = new HashSet<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                acc.users.add(in.readUTF());
            }
        } else {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            acc.sketch = HllSketch.heapify(Memory.wrap(bytes));
        }
        return acc;
    }

    @Override
    public OrderAccumulator deserialize(OrderAccumulator reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<OrderAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the singleton. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OrderAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Merging for session-style windows (not used by tumbling windows, required by the API). */
    static OrderAccumulator merge(OrderAccumulator a, OrderAccumulator b) {
        OrderAccumulator merged = INSTANCE.copy(a);
        merged.orders += b.orders;
        merged.revenue = merged.revenue.add(b.revenue);
        if (merged.users != null) {
            merged.users.addAll(b.users);
        } else {
            Union union = new Union(merged.sketch.getLgConfigK());
            union.update(merged.sketch);
            union.update(b.sketch);
            merged.sketch = union.getResult(merged.sketch.getTgtHllType());
        }
        return merged;
    }
}
