package io.millrace.pipeline.engagement;

import io.millrace.function.EventTimeWindows;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The rolling leaderboards: per minute of event time and content item it keeps accesses and summed share;
 * when a minute is final (the watermark, in commit time, has passed its end plus the allowed lateness, so
 * no event of it or of the minutes before can still come) it ranks the items over the {@code minutes} ending
 * with it and emits the top {@code topN} by accesses and by engagement. Runs with one key: one ranking.
 */
public final class LeaderboardFunction extends KeyedProcessFunction<Integer, EnrichedEngagement, Leaderboard> {
    private static final long serialVersionUID = 1L;

    private final long minuteMillis;
    private final long latenessMillis;
    private final int minutes;
    private final int topN;

    private transient MapState<String, Leaderboard.Score> totals;

    public LeaderboardFunction(long minuteMillis, long latenessMillis, int minutes, int topN) {
        this.minuteMillis = minuteMillis;
        this.latenessMillis = latenessMillis;
        this.minutes = minutes;
        this.topN = topN;
    }

    @Override
    public void open(OpenContext context) {
        totals = getRuntimeContext().getMapState(new MapStateDescriptor<>("minute-content-totals", Types.STRING,
                TypeInformation.of(Leaderboard.Score.class)));
    }

    @Override
    public void processElement(EnrichedEngagement e, Context ctx, Collector<Leaderboard> out) throws Exception {
        long minute = EventTimeWindows.windowStart(e.eventTs(), minuteMillis);
        String key = minute + "/" + e.contentId();
        Leaderboard.Score s = totals.get(key);
        BigDecimal share = e.engagementPct() == null ? BigDecimal.ZERO : e.engagementPct();
        totals.put(key, s == null ? new Leaderboard.Score(e.contentId(), 1, share)
                : new Leaderboard.Score(e.contentId(), s.accesses() + 1, s.shareSum().add(share)));
        ctx.timerService().registerEventTimeTimer(finalAt(minute));
    }

    /** When minute {@code start} is final: no event of it can come any more. */
    long finalAt(long start) {
        return start + minuteMillis - 1 + latenessMillis;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Leaderboard> out) throws Exception {
        long last = timestamp - latenessMillis + 1 - minuteMillis;
        long first = last - (long) (minutes - 1) * minuteMillis;
        Map<String, Leaderboard.Score> span = new HashMap<>();
        Iterator<Map.Entry<String, Leaderboard.Score>> it = totals.iterator();
        while (it.hasNext()) {
            Map.Entry<String, Leaderboard.Score> entry = it.next();
            long minute = Long.parseLong(entry.getKey().substring(0, entry.getKey().indexOf('/')));
            if (minute < first) {
                it.remove(); // a later ranking starts later still
            } else if (minute <= last) {
                Leaderboard.Score s = entry.getValue();
                span.merge(s.contentId(), s, (a, b) -> new Leaderboard.Score(a.contentId(), a.accesses() + b.accesses(),
                        a.shareSum().add(b.shareSum())));
            }
        }
        out.collect(rank(first, last + minuteMillis, span.values(), topN));
    }

    /** The top {@code topN} by accesses and by engagement; ties by content id, so the ranking is deterministic. */
    public static Leaderboard rank(long windowStart, long windowEnd, Iterable<Leaderboard.Score> scores, int topN) {
        List<Leaderboard.Score> all = new ArrayList<>();
        scores.forEach(all::add);
        List<Leaderboard.Score> byAccess = all.stream()
                .sorted(Comparator.comparingLong(Leaderboard.Score::accesses).reversed()
                        .thenComparing(Leaderboard.Score::contentId))
                .limit(topN).toList();
        List<Leaderboard.Score> byEngagement = all.stream()
                .sorted(Comparator.comparing(Leaderboard.Score::engagement).reversed()
                        .thenComparing(Leaderboard.Score::contentId))
                .limit(topN).toList();
        return new Leaderboard(windowStart, windowEnd, byAccess, byEngagement);
    }
}
