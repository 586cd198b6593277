package io.millrace.pipeline.engagement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins each engagement event, keyed by content id, with the content row as the database held it when the
 * event was committed. Both inputs carry their commit time as timestamp and the capture service's heartbeats
 * drive the watermark, so once the watermark passes an event's commit time every content change committed
 * before it has arrived: the join depends only on commit order, never on arrival order, and a replay joins
 * the same way.
 *
 * <ul>
 *   <li>The newest content version committed before the event (commit time, then log position) is used; a
 *       deleted row gives {@link EnrichedEngagement#UNKNOWN}.</li>
 *   <li>Without any version by then (an event written before its content), the event waits until the
 *       watermark passes {@code commit time + maxWait}: the first version committed in that span is used,
 *       otherwise the content never arrived and the event goes out as UNKNOWN.</li>
 *   <li>Deliveries of an event id already seen within {@code dedupRetention} of commit time are dropped:
 *       the capture service delivers at least once.</li>
 * </ul>
 * Versions older than the newest one that no pending event can need are pruned; the newest is kept (a
 * delete too, so later events know the content is gone).
 */
public final class EngagementEnrichmentFunction
        extends KeyedCoProcessFunction<String, ContentChange, EngagementEvent, EnrichedEngagement> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ContentChange> COMMIT_ORDER =
            Comparator.comparingLong(ContentChange::commitTs).thenComparingLong(ContentChange::lsn);

    private final long maxWaitMillis;
    private final long dedupRetentionMillis;

    private transient ListState<ContentChange> versions;
    private transient MapState<Long, EngagementEvent> pending;
    private transient MapState<Long, Long> seen;
    private transient Counter joined;
    private transient Counter lateContent;
    private transient Counter unknown;
    private transient Counter duplicates;
    private transient Counter behindWatermark;

    public EngagementEnrichmentFunction(long maxWaitMillis, long dedupRetentionMillis) {
        this.maxWaitMillis = maxWaitMillis;
        this.dedupRetentionMillis = dedupRetentionMillis;
    }

    @Override
    public void open(OpenContext context) {
        versions = getRuntimeContext().getListState(new ListStateDescriptor<>("content-versions",
                TypeInformation.of(ContentChange.class)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-events", Types.LONG,
                TypeInformation.of(EngagementEvent.class)));
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-event-ids", Types.LONG, Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup();
        joined = metrics.counter("eventsJoined");
        lateContent = metrics.counter("eventsJoinedWithLaterContent");
        unknown = metrics.counter("eventsWithUnknownContent");
        duplicates = metrics.counter("duplicateEvents");
        behindWatermark = metrics.counter("eventsBehindWatermark");
    }

    @Override
    public void processElement1(ContentChange change, Context ctx, Collector<EnrichedEngagement> out) throws Exception {
        List<ContentChange> all = list();
        for (ContentChange v : all) {
            if (v.commitTs() == change.commitTs() && v.lsn() == change.lsn()) {
                return; // the same change delivered again
            }
        }
        all.add(change);
        all.sort(COMMIT_ORDER);
        versions.update(all);
    }

    @Override
    public void processElement2(EngagementEvent event, Context ctx, Collector<EnrichedEngagement> out) throws Exception {
        if (seen.contains(event.id())) {
            duplicates.inc();
            return;
        }
        seen.put(event.id(), event.commitTs());
        ctx.timerService().registerEventTimeTimer(event.commitTs() + dedupRetentionMillis);
        long watermark = ctx.timerService().currentWatermark();
        if (event.commitTs() <= watermark) {
            // Arrived behind the watermark (the capture promised otherwise): join with what there is now.
            behindWatermark.inc();
            if (!resolve(event, watermark, out, list())) {
                pending.put(event.id(), event);
                ctx.timerService().registerEventTimeTimer(event.commitTs() + maxWaitMillis);
            }
            return;
        }
        pending.put(event.id(), event);
        ctx.timerService().registerEventTimeTimer(event.commitTs());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedEngagement> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        List<ContentChange> all = list();
        List<EngagementEvent> due = new ArrayList<>();
        for (EngagementEvent e : pending.values()) {
            if (e.commitTs() <= watermark) {
                due.add(e);
            }
        }
        // Commit order, so the output is the same on every replay.
        due.sort(Comparator.comparingLong(EngagementEvent::commitTs).thenComparingLong(EngagementEvent::lsn));
        for (EngagementEvent e : due) {
            if (resolve(e, watermark, out, all)) {
                pending.remove(e.id());
            } else if (e.commitTs() == timestamp) {
                ctx.timerService().registerEventTimeTimer(e.commitTs() + maxWaitMillis);
            }
        }
        forgetSeen(watermark);
        prune(all, watermark);
    }

    /** Emits the event if its content can be decided at {@code watermark}; false if it must wait longer. */
    private boolean resolve(EngagementEvent e, long watermark, Collector<EnrichedEngagement> out,
            List<ContentChange> all) {
        ContentChange current = null;
        for (ContentChange v : all) {
            if (v.notAfter(e.commitTs(), e.lsn())) {
                current = v;
            }
        }
        if (current != null) {
            emit(e, current, out);
            joined.inc();
            return true;
        }
        if (watermark < e.commitTs() + maxWaitMillis) {
            return false;
        }
        for (ContentChange v : all) {
            if (v.commitTs() > e.commitTs() && v.commitTs() <= e.commitTs() + maxWaitMillis) {
                emit(e, v, out);
                lateContent.inc();
                return true;
            }
        }
        out.collect(EnrichedEngagement.unknown(e));
        unknown.inc();
        return true;
    }

    private void emit(EngagementEvent e, ContentChange v, Collector<EnrichedEngagement> out) {
        if (v.deleted()) {
            out.collect(EnrichedEngagement.unknown(e));
            unknown.inc();
        } else {
            out.collect(EnrichedEngagement.joined(e, v));
        }
    }

    private void forgetSeen(long watermark) throws Exception {
        Iterator<Map.Entry<Long, Long>> it = seen.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() + dedupRetentionMillis <= watermark) {
                it.remove();
            }
        }
        if (seen.isEmpty()) {
            seen.clear(); // an emptied map still counts as state until cleared
        }
    }

    /**
     * Keeps the newest version committed before the oldest commit time a pending or future event can have,
     * and every version after it.
     */
    private void prune(List<ContentChange> all, long watermark) throws Exception {
        long oldestNeeded = watermark - maxWaitMillis;
        for (EngagementEvent e : pending.values()) {
            oldestNeeded = Math.min(oldestNeeded, e.commitTs());
        }
        int firstKept = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).commitTs() <= oldestNeeded) {
                firstKept = i;
            }
        }
        if (firstKept > 0) {
            versions.update(new ArrayList<>(all.subList(firstKept, all.size())));
        }
    }

    private List<ContentChange> list() throws Exception {
        List<ContentChange> all = new ArrayList<>();
        Iterable<ContentChange> stored = versions.get();
        if (stored != null) {
            stored.forEach(all::add);
        }
        return all;
    }
}
