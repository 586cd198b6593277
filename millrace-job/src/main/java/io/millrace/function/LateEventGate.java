package io.millrace.function;

import io.millrace.source.EventTime;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decides, right after the source, which events are beyond the allowed lateness, and sends those to the
 * {@link #lateTag()} side output only.
 *
 * <p>An event is late when its window's clean-up time ({@link LatenessRule}) is at or below its input
 * partition's watermark: the highest event time seen so far in that partition minus the out-of-orderness
 * bound. Deciding by the partition's own progress, rather than by the job's watermark, makes the decision
 * a function of the input alone: the job's watermark depends on how partitions interleave, which differs
 * between a run and its replay after a crash, so an event counted before a crash could otherwise be
 * declared late after it. The per-partition clocks are checkpointed with the source offsets. A partition's
 * watermark is never below the job's, so an event accepted here is never dropped by a window downstream.
 *
 * @param <T> the event
 * @param <L> what a late event becomes (with the watermark it met)
 */
public final class LateEventGate<T, L> extends ProcessFunction<T, T> implements CheckpointedFunction, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final String REASON = "beyond allowed lateness";

    /** The input partition an event was read from. */
    @FunctionalInterface
    public interface PartitionOf<T> extends Serializable {
        int of(T event);
    }

    /** Builds the late record of an event and the partition watermark it met. */
    @FunctionalInterface
    public interface LateMapper<T, L> extends Serializable {
        L late(T event, long watermark);
    }

    /** The highest event time seen in one input partition, as checkpointed. */
    public record PartitionClock(int partition, long maxTimestamp) {}

    private final TypeInformation<T> eventType;
    private final EventTime<T> eventTime;
    private final PartitionOf<T> partitionOf;
    private final long outOfOrdernessMillis;
    private final LatenessRule rule;
    private final LateMapper<T, L> lateMapper;
    private final OutputTag<L> lateTag;

    private transient Map<Integer, Long> clocks;
    private transient ListState<PartitionClock> clockState;
    private transient Counter lateCount;

    public LateEventGate(TypeInformation<T> eventType, EventTime<T> eventTime, PartitionOf<T> partitionOf,
            long outOfOrdernessMillis, LatenessRule rule, LateMapper<T, L> lateMapper, TypeInformation<L> lateType) {
        this.eventType = eventType;
        this.eventTime = eventTime;
        this.partitionOf = partitionOf;
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.rule = rule;
        this.lateMapper = lateMapper;
        this.lateTag = new OutputTag<>("late-events", lateType);
    }

    /** The side output of late events. */
    public OutputTag<L> lateTag() {
        return lateTag;
    }

    @Override
    public void open(OpenContext openContext) {
        lateCount = getRuntimeContext().getMetricGroup().counter("eventsLate");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) {
        int partition = partitionOf.of(event);
        long t = eventTime.of(event);
        Long max = clocks.get(partition);
        // Same formula as bounded out-of-orderness watermarks: max - bound - 1.
        long watermark = max == null ? Long.MIN_VALUE : max - outOfOrdernessMillis - 1;
        if (rule.cleanupTime(t) <= watermark) {
            lateCount.inc();
            ctx.output(lateTag, lateMapper.late(event, watermark));
            return;
        }
        if (max == null || t > max) {
            clocks.put(partition, t);
        }
        out.collect(event);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<PartitionClock> snapshot = clocks.entrySet().stream()
                .map(e -> new PartitionClock(e.getKey(), e.getValue())).toList();
        clockState.update(snapshot);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Union state: after a rescale a partition may be read by any subtask, so every subtask gets all
        // clocks (keeping the highest per partition).
        clockState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("partition-clocks", TypeInformation.of(PartitionClock.class)));
        clocks = new HashMap<>();
        if (context.isRestored()) {
            for (PartitionClock c : clockState.get()) {
                clocks.merge(c.partition(), c.maxTimestamp(), Math::max);
            }
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return eventType;
    }
}
