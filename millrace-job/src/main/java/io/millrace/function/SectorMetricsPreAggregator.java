package io.millrace.function;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.LateTrade;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Sums the enriched trades of each sector window within one subtask and sends the sums on at every watermark, before
 * every checkpoint barrier and at the end of the input: the window operator behind it (keyed by sector) then merges a
 * handful of partial totals per window instead of taking every trade through a network shuffle. It keeps no state,
 * since everything it gathered has been sent on before a barrier passes it.
 *
 * <p>A trade whose window the watermark has already closed goes to {@link #lateTag()} instead. The window operator
 * could not reject a partial these let through: its watermark never passes the one this operator had when it took
 * the trades in, since this operator forwards a watermark only after sending everything gathered before it.
 */
public final class SectorMetricsPreAggregator extends AbstractStreamOperator<SectorWindowPartial>
        implements OneInputStreamOperator<EnrichedTrade, SectorWindowPartial> {
    private static final long serialVersionUID = 1L;

    public static final String LATE_REASON = "window already closed";

    private final long windowSizeMillis;
    private final long allowedLatenessMillis;
    private final OutputTag<LateTrade> lateTag;

    /** By sector, its windows (a handful between two watermarks). */
    private transient Map<String, List<Gathered>> gathered;
    private transient long watermark;

    public SectorMetricsPreAggregator(long windowSizeMillis, long allowedLatenessMillis, OutputTag<LateTrade> lateTag) {
        this.windowSizeMillis = windowSizeMillis;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.lateTag = lateTag;
    }

    /** Trades the window operator would reject as late, reported one by one. */
    public OutputTag<LateTrade> lateTag() {
        return lateTag;
    }

    @Override
    public void open() throws Exception {
        super.open();
        gathered = new HashMap<>();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<EnrichedTrade> element) {
        EnrichedTrade trade = element.getValue();
        long time = trade.tradeTimestamp();
        // The window operator's own test: its window's clean-up time has passed.
        if (EventTimeWindows.cleanupTime(time, windowSizeMillis, allowedLatenessMillis) <= watermark) {
            output.collect(lateTag, new StreamRecord<>(new LateTrade(trade.tradeId(), trade.symbol(), trade.price(),
                    trade.volume(), time, watermark, LATE_REASON), element.getTimestamp()));
            return;
        }
        long start = EventTimeWindows.windowStart(time, windowSizeMillis);
        List<Gathered> windows = gathered.computeIfAbsent(trade.sector(), sector -> new ArrayList<>(2));
        Gathered sums = null;
        for (Gathered each : windows) {
            if (each.start == start) {
                sums = each;
                break;
            }
        }
        if (sums == null) {
            sums = new Gathered(start);
            windows.add(sums);
        }
        sums.totals = sums.totals.add(trade.price(), trade.volume(), trade.tradeValue());
        sums.latest = Math.max(sums.latest, time);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        sendGathered();
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        sendGathered();
    }

    @Override
    public void finish() throws Exception {
        sendGathered();
        super.finish();
    }

    private void sendGathered() {
        if (gathered.isEmpty()) {
            return;
        }
        for (Map.Entry<String, List<Gathered>> sector : gathered.entrySet()) {
            for (Gathered sums : sector.getValue()) {
                output.collect(new StreamRecord<>(new SectorWindowPartial(sector.getKey(), sums.start, sums.latest,
                        sums.totals), sums.latest));
            }
        }
        gathered.clear();
    }

    /** What one subtask has gathered of one sector window since it last sent. */
    private static final class Gathered {
        final long start;
        SectorAccumulator totals = SectorAccumulator.EMPTY;
        long latest = Long.MIN_VALUE;

        Gathered(long start) {
            this.start = start;
        }
    }
}
