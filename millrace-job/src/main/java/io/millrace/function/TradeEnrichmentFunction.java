package io.millrace.function;

import io.millrace.codec.ExplicitTypeInfo;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each trade with the info version of its symbol valid at the trade's event time (keyed by symbol).
 *
 * <p>A trade at {@code t} waits until the watermark passes {@code t}, then takes the newest version with
 * {@code info_timestamp <= t}. With no such version it keeps waiting, for a late version, until the
 * watermark passes {@code t + max-wait}, and is then emitted with sector {@code UNKNOWN}. Versions are
 * kept as long as an acceptable (not too late) trade could need them. Trades beyond the allowed lateness
 * never get here ({@link LateEventGate}); duplicate {@code trade_id}s are dropped while their window can
 * still change.
 */
public final class TradeEnrichmentFunction extends KeyedCoProcessFunction<String, Trade, MarketInfo, EnrichedTrade>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Width of a bucket of {@link #pending}. */
    static final long PENDING_BUCKET_MILLIS = 100;

    private final boolean eventTimeMode;
    private final long maxWaitMillis;
    private final long windowSizeMillis;
    private final long allowedLatenessMillis;
    private final boolean dedup;
    private final boolean idTableOnHeap;

    /** Info versions of this symbol by {@code info_timestamp}; a later record with the same time replaces. */
    private transient MapState<Long, MarketInfo> versions;
    /**
     * Trades waiting for the watermark to pass their time, by a lower bound of their times: the start of their
     * {@link #PENDING_BUCKET_MILLIS} bucket (a checkpoint of an earlier version keys them by their exact time, which
     * is a lower bound too). Buckets, not exact times, keep the scan at each release short when thousands of trades
     * per second of event time wait out the watermark's delay.
     */
    private transient MapState<Long, List<Trade>> pending;
    /**
     * The earliest timer registered for {@link #pending}. One timer at the earliest waiting trade (not one per trade
     * time) releases every trade the watermark has passed when it fires: timers were the costliest part of a trade's
     * way through here.
     */
    private transient ValueState<Long> pendingTimer;
    /** Trades with no info version yet, by the time they give up ({@code t + max-wait}, = their timer). */
    private transient MapState<Long, List<Trade>> waitingForInfo;
    /**
     * Trade-id fingerprints seen, with the clean-up times of their windows, while a duplicate could still be counted
     * (heap state): one probe of a primitive table per trade instead of a boxed map entry and a timer per trade, and
     * the ids of a closed window go in one sweep.
     */
    private transient ValueState<SeenTradeIds> seenTradeIdTable;
    /**
     * Fingerprint of a trade_id to the clean-up time of its window (RocksDB state, where the table above would be
     * rewritten whole for every trade; and state restored from a version before the table).
     */
    private transient MapState<Long, Long> seenTradeIds;
    /** Whether {@link #seenTradeIds} may hold ids although {@link #idTableOnHeap} is set: state was restored. */
    private transient boolean restored;

    private transient Counter enrichedCount;
    private transient Counter unknownCount;
    private transient Counter duplicateCount;

    /** With state on the heap (see {@link #TradeEnrichmentFunction(boolean, long, long, long, boolean, boolean)}). */
    public TradeEnrichmentFunction(boolean eventTimeMode, long maxWaitMillis, long windowSizeMillis,
            long allowedLatenessMillis, boolean dedup) {
        this(eventTimeMode, maxWaitMillis, windowSizeMillis, allowedLatenessMillis, dedup, true);
    }

    /**
     * @param eventTimeMode true for {@code event-time} enrichment, false for {@code latest}
     * @param heapState true when keyed state lives on the heap (it may then be changed in place), false for RocksDB
     */
    public TradeEnrichmentFunction(boolean eventTimeMode, long maxWaitMillis, long windowSizeMillis,
            long allowedLatenessMillis, boolean dedup, boolean heapState) {
        this.eventTimeMode = eventTimeMode;
        this.maxWaitMillis = maxWaitMillis;
        this.windowSizeMillis = windowSizeMillis;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.dedup = dedup;
        this.idTableOnHeap = heapState;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // All state is keyed state, which the operator snapshots.
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<List<Trade>> tradeList = Types.LIST(TypeInformation.of(Trade.class));
        versions = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("info-versions", Types.LONG, TypeInformation.of(MarketInfo.class)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-trades", Types.LONG, tradeList));
        pendingTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-trades-timer", Types.LONG));
        waitingForInfo = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("trades-waiting-for-info", Types.LONG, tradeList));
        seenTradeIds = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-trade-ids", Types.LONG, Types.LONG));
        seenTradeIdTable = getRuntimeContext().getState(new ValueStateDescriptor<>("seen-trade-id-table",
                new ExplicitTypeInfo<>(SeenTradeIds.class, SeenTradeIdsSerializer.INSTANCE)));
        var metrics = getRuntimeContext().getMetricGroup();
        enrichedCount = metrics.counter("tradesEnriched");
        unknownCount = metrics.counter("tradesUnknown");
        duplicateCount = metrics.counter("tradesDuplicate");
    }

    @Override
    public void processElement1(Trade trade, Context ctx, Collector<EnrichedTrade> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (dedup && isDuplicate(trade, ctx)) {
            duplicateCount.inc();
            return;
        }

        if (!eventTimeMode) {
            MarketInfo newest = newestVersion(Long.MAX_VALUE);
            if (newest != null) {
                emitJoined(trade, newest, out);
            } else {
                waitForInfo(trade, ctx);
            }
        } else if (trade.timestamp() <= watermark) {
            resolve(List.of(trade), trade.timestamp(), watermark, ctx, out);
        } else {
            add(pending, Math.floorDiv(trade.timestamp(), PENDING_BUCKET_MILLIS) * PENDING_BUCKET_MILLIS, trade);
            Long timer = pendingTimer.value();
            if (timer == null || trade.timestamp() < timer) {
                ctx.timerService().registerEventTimeTimer(trade.timestamp());
                pendingTimer.update(trade.timestamp());
            }
        }
    }

    /**
     * Whether the trade's id was seen while a duplicate could still be counted; if not, remembers it until the
     * trade's window can no longer change (a re-delivery after that is late).
     */
    private boolean isDuplicate(Trade trade, Context ctx) throws Exception {
        long id = TradeIdFingerprint.of(trade.tradeId());
        long cleanupTime = EventTimeWindows.cleanupTime(trade.timestamp(), windowSizeMillis, allowedLatenessMillis);
        if (!idTableOnHeap || restored) {
            if (seenTradeIds.contains(id)) {
                return true;
            }
            if (!idTableOnHeap) {
                seenTradeIds.put(id, cleanupTime);
                ctx.timerService().registerEventTimeTimer(cleanupTime);
                return false;
            }
        }
        SeenTradeIds seen = seenTradeIdTable.value();
        if (seen == null) {
            seen = new SeenTradeIds();
            seenTradeIdTable.update(seen);
        }
        // Heap state hands out the stored table itself (copied first if a snapshot still reads the old one), so
        // adding to it is the update.
        int added = seen.add(id, cleanupTime);
        if (added == SeenTradeIds.PRESENT) {
            return true;
        }
        if (added == SeenTradeIds.ADDED_TO_NEW_WINDOW) {
            ctx.timerService().registerEventTimeTimer(cleanupTime);
        }
        return false;
    }

    @Override
    public void processElement2(MarketInfo info, Context ctx, Collector<EnrichedTrade> out) throws Exception {
        versions.put(info.timestamp(), info);
        // Lets old versions be pruned even for a symbol that never trades.
        ctx.timerService().registerEventTimeTimer(
                EventTimeWindows.cleanupTime(info.timestamp(), windowSizeMillis, allowedLatenessMillis));
        if (waitingForInfo.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<Long, List<Trade>>> it = waitingForInfo.iterator();
        List<Long> emptied = new ArrayList<>();
        List<Map.Entry<Long, List<Trade>>> changed = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<Long, List<Trade>> entry = it.next();
            List<Trade> still = new ArrayList<>();
            for (Trade trade : entry.getValue()) {
                MarketInfo version = eventTimeMode ? newestVersion(trade.timestamp()) : info;
                if (version != null) {
                    emitJoined(trade, version, out);
                } else {
                    still.add(trade);
                }
            }
            if (still.isEmpty()) {
                emptied.add(entry.getKey());
            } else if (still.size() != entry.getValue().size()) {
                changed.add(Map.entry(entry.getKey(), still));
            }
        }
        for (Long key : emptied) {
            waitingForInfo.remove(key);
        }
        for (Map.Entry<Long, List<Trade>> entry : changed) {
            waitingForInfo.put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedTrade> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        Long timer = pendingTimer.value();
        // A checkpoint of an earlier version holds one timer per trade time and no pendingTimer: release those too.
        if (timer != null ? timer <= timestamp : pending.contains(timestamp)) {
            releasePending(watermark, ctx, out);
        }
        List<Trade> expired = waitingForInfo.get(timestamp);
        if (expired != null) {
            waitingForInfo.remove(timestamp);
            for (Trade trade : expired) {
                MarketInfo version = eventTimeMode ? newestVersion(trade.timestamp()) : newestVersion(Long.MAX_VALUE);
                if (version != null) {
                    emitJoined(trade, version, out);
                } else {
                    unknownCount.inc();
                    out.collect(EnrichedTrade.unknown(trade));
                }
            }
        }
        if (isCleanupTime(timestamp)) {
            cleanUp(timestamp);
        }
    }

    /**
     * Resolves every waiting trade the watermark has passed, in time order (as one timer per trade time would have,
     * within the same watermark), and sets the timer for the earliest one still waiting.
     */
    private void releasePending(long watermark, Context ctx, Collector<EnrichedTrade> out) throws Exception {
        List<Trade> due = new ArrayList<>();
        List<Long> emptied = new ArrayList<>();
        List<Map.Entry<Long, List<Trade>>> kept = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Map.Entry<Long, List<Trade>> bucket : pending.entries()) {
            long from = bucket.getKey();
            if (from > watermark) {
                next = Math.min(next, from);
                continue;
            }
            List<Trade> trades = bucket.getValue();
            List<Trade> waiting = null;
            for (Trade trade : trades) {
                if (trade.timestamp() <= watermark) {
                    due.add(trade);
                } else {
                    if (waiting == null) {
                        waiting = new ArrayList<>();
                    }
                    waiting.add(trade);
                    next = Math.min(next, trade.timestamp());
                }
            }
            if (waiting == null) {
                emptied.add(from);
            } else if (waiting.size() != trades.size()) {
                kept.add(Map.entry(from, waiting));
            }
        }
        for (Long from : emptied) {
            pending.remove(from);
        }
        for (Map.Entry<Long, List<Trade>> bucket : kept) {
            pending.put(bucket.getKey(), bucket.getValue());
        }
        // Stable: trades of one time keep their arrival order.
        due.sort(Comparator.comparingLong(Trade::timestamp));
        int i = 0;
        while (i < due.size()) {
            long t = due.get(i).timestamp();
            int j = i + 1;
            while (j < due.size() && due.get(j).timestamp() == t) {
                j++;
            }
            resolve(due.subList(i, j), t, watermark, ctx, out);
            i = j;
        }
        if (next == Long.MAX_VALUE) {
            pendingTimer.clear();
        } else {
            ctx.timerService().registerEventTimeTimer(next);
            pendingTimer.update(next);
        }
    }

    /** Trades of one event time {@code t} whose time the watermark has passed. */
    private void resolve(List<Trade> trades, long t, long watermark, Context ctx, Collector<EnrichedTrade> out)
            throws Exception {
        MarketInfo version = newestVersion(t);
        for (Trade trade : trades) {
            if (version != null) {
                emitJoined(trade, version, out);
            } else if (t + maxWaitMillis <= watermark) {
                unknownCount.inc();
                out.collect(EnrichedTrade.unknown(trade));
            } else {
                waitForInfo(trade, ctx);
            }
        }
    }

    private void waitForInfo(Trade trade, Context ctx) throws Exception {
        long deadline = trade.timestamp() + maxWaitMillis;
        add(waitingForInfo, deadline, trade);
        ctx.timerService().registerEventTimeTimer(deadline);
    }

    private void emitJoined(Trade trade, MarketInfo info, Collector<EnrichedTrade> out) {
        enrichedCount.inc();
        out.collect(EnrichedTrade.joined(trade, info));
    }

    /** The newest version with {@code info_timestamp <= t}, or null. */
    private MarketInfo newestVersion(long t) throws Exception {
        MarketInfo best = null;
        for (Map.Entry<Long, MarketInfo> entry : versions.entries()) {
            long ts = entry.getKey();
            if (ts <= t && (best == null || ts > best.timestamp())) {
                best = entry.getValue();
            }
        }
        return best;
    }

    private boolean isCleanupTime(long timestamp) {
        return Math.floorMod(timestamp - (windowSizeMillis - 1) - allowedLatenessMillis, windowSizeMillis) == 0;
    }

    /**
     * At watermark {@code w} a trade is still accepted only if its window's cleanup time is after
     * {@code w}, so it is at or after {@code w - lateness - size + 2}: the version valid at
     * {@code w - lateness - size + 1} and newer ones are kept, older ones dropped.
     */
    private void cleanUp(long watermark) throws Exception {
        if (dedup) {
            SeenTradeIds seen = seenTradeIdTable.value();
            if (seen != null) {
                seen.removeUpTo(watermark);
                if (seen.isEmpty()) {
                    seenTradeIdTable.clear();
                }
            }
            Iterator<Map.Entry<Long, Long>> ids = seenTradeIds.iterator();
            while (ids.hasNext()) {
                if (ids.next().getValue() <= watermark) {
                    ids.remove();
                }
            }
            // Removing through an iterator leaves an empty map behind for this key; clear() drops it.
            if (seenTradeIds.isEmpty()) {
                seenTradeIds.clear();
            }
        }
        long keepFrom = watermark - allowedLatenessMillis - windowSizeMillis + 1;
        MarketInfo anchor = newestVersion(keepFrom);
        if (anchor != null) {
            Iterator<Map.Entry<Long, MarketInfo>> it = versions.iterator();
            while (it.hasNext()) {
                if (it.next().getKey() < anchor.timestamp()) {
                    it.remove();
                }
            }
        }
    }

    private static void add(MapState<Long, List<Trade>> state, long key, Trade trade) throws Exception {
        List<Trade> list = state.get(key);
        if (list == null) {
            list = new ArrayList<>(4);
        }
        list.add(trade);
        state.put(key, list);
    }
}
