package io.millrace.pipeline.engagement;

import io.millrace.sink.RedisWrite;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each result writes to Redis: absolute values only, so a replay writes the same thing again. */
final class EngagementRedisWrites {

    private EngagementRedisWrites() {}

    static List<RedisWrite> minute(MinuteResult m) {
        String minute = RedisKeys.minute(m.windowStart());
        List<RedisWrite> writes = new ArrayList<>();
        if (m.dimension() == MinuteResult.Dimension.CONTENT_TYPE) {
            writes.add(new RedisWrite.HashSet(RedisKeys.ACCESS_BY_TYPE + minute, m.value(), Long.toString(m.events())));
            writes.add(new RedisWrite.SortedSetAdd(RedisKeys.ENGAGEMENT_BY_TYPE + minute, m.value(),
                    m.shareSum().doubleValue()));
            BigDecimal average = m.averageShare();
            if (average != null) {
                writes.add(new RedisWrite.HashSet(RedisKeys.ENGAGEMENT_AVG_BY_TYPE + minute, m.value(),
                        average.toPlainString()));
            }
        } else {
            writes.add(new RedisWrite.HashSet(RedisKeys.ACCESS_BY_EVENT + minute, m.value(), Long.toString(m.events())));
        }
        return writes;
    }

    static List<RedisWrite> leaderboard(Leaderboard l) {
        Map<String, Double> byAccess = new LinkedHashMap<>();
        l.byAccess().forEach(s -> byAccess.put(s.contentId(), (double) s.accesses()));
        Map<String, Double> byEngagement = new LinkedHashMap<>();
        l.byEngagement().forEach(s -> byEngagement.put(s.contentId(), s.engagement().doubleValue()));
        return List.of(new RedisWrite.SortedSetReplace(RedisKeys.TOP_BY_ACCESS, byAccess),
                new RedisWrite.SortedSetReplace(RedisKeys.TOP_BY_ENGAGEMENT, byEngagement),
                new RedisWrite.Set(RedisKeys.LEADERBOARD_WINDOW,
                        Instant.ofEpochMilli(l.windowStart()) + "/" + Instant.ofEpochMilli(l.windowEnd())));
    }
}
