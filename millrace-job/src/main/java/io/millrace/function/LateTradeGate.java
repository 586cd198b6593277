package io.millrace.function;

import io.millrace.model.LateTrade;
import io.millrace.model.Trade;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.metrics.Counter;

/**
 * Decides, right after the source, which trades are beyond the allowed lateness, and sends those to
 * {@link #LATE} only (never to {@code enriched_trades} or the metrics).
 *
 * <p>A trade is late when its window's clean-up time ({@link EventTimeWindows#cleanupTime}) is at or
 * below its partition's watermark: the highest event time seen so far in that input partition minus the
 * out-of-orderness bound. Deciding by the partition's own progress, rather than by the job's watermark,
 * makes the decision a function of the input alone: the job's watermark depends on how partitions
 * interleave, which differs between a run and its replay after a crash, so a trade counted before a crash
 * could be declared late after it. The per-partition clocks are checkpointed with the source offsets.
 *
 * <p>A partition's watermark is never below the job's, so a trade accepted here is never dropped by the
 * window operator downstream.
 */
public final class LateTradeGate extends ProcessFunction<Trade, Trade> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<LateTrade> LATE = new OutputTag<>("late-trades", TypeInformation.of(LateTrade.class));
    public static final String REASON = "beyond allowed lateness";

    /** The highest event time seen in one input partition, as checkpointed. */
    public record PartitionClock(int partition, long maxTimestamp) {}

    private final long outOfOrdernessMillis;
    private final long windowSizeMillis;
    private final long allowedLatenessMillis;

    private transient Map<Integer, Long> clocks;
    private transient ListState<PartitionClock> clockState;
    private transient Counter lateCount;

    public LateTradeGate(long outOfOrdernessMillis, long windowSizeMillis, long allowedLatenessMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.windowSizeMillis = windowSizeMillis;
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        lateCount = getRuntimeContext().getMetricGroup().counter("tradesLate");
    }

    @Override
    public void processElement(Trade trade, Context ctx, Collector<Trade> out) {
        Long max = clocks.get(trade.partition());
        // Same formula as bounded out-of-orderness watermarks: max - bound - 1.
        long watermark = max == null ? Long.MIN_VALUE : max - outOfOrdernessMillis - 1;
        if (EventTimeWindows.cleanupTime(trade.timestamp(), windowSizeMillis, allowedLatenessMillis) <= watermark) {
            lateCount.inc();
            ctx.output(LATE, LateTrade.of(trade, watermark, REASON));
            return;
        }
        if (max == null || trade.timestamp() > max) {
            clocks.put(trade.partition(), trade.timestamp());
        }
        out.collect(trade);
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
}
