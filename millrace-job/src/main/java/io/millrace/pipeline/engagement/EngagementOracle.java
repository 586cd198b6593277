package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code engagement} expectation, recomputed by the documented rules in plain Java, independently of
 * the pipeline's code: event rows (as the database holds them) are checked and joined with the content
 * versions of the change history as of their commit (commit time, then log position; content committed
 * after the event counts within the wait), judged late by their own commit time, and counted per minute of
 * {@code event_ts} and per content item for the leaderboards.
 */
public final class EngagementOracle implements InputOracle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EVENT_TYPES = Set.of("play", "pause", "finish", "click");

    /** The bounds the rules use. */
    public record Rules(long minuteMillis, long latenessMillis, long maxWaitMillis, long maxFutureMillis,
            int leaderboardMinutes, int topN) {}

    /** A content row as of one commit, or its deletion. */
    public record Version(long commitTs, long lsn, boolean deleted, String contentType, Integer lengthSeconds) {}

    /** Where and when an event row was committed and delivered. */
    public record Position(long commitTs, long lsn, String origin) {}

    /**
     * An event as the search index and the warehouse must hold it: its row, joined with its content as of
     * its commit; every valid event, including those committed too late for their minute's statistics.
     */
    public record ExpectedEvent(long id, String contentId, String userId, String eventType, long eventTs,
            Integer durationMs, String device, String contentType, Integer lengthSeconds, BigDecimal engagementPct,
            long commitTs) {}

    /** A late event: its id, the commit time that made it late. */
    public record Late(long id, long eventTs, long commitTs) {}

    private final Rules rules;
    private final long now;
    private final Map<String, List<Version>> versions = new HashMap<>();
    private final Set<String> deadLetters = new HashSet<>();
    private final Map<String, MinuteResult> minutes = new TreeMap<>();
    private final Map<Long, Map<String, Leaderboard.Score>> perMinuteContent = new TreeMap<>();
    private final Map<Long, Late> late = new LinkedHashMap<>();
    private final Map<Long, ExpectedEvent> events = new HashMap<>();
    private long rows;
    private long counted;
    private long unknown;

    public EngagementOracle(Rules rules, long now) {
        this.rules = rules;
        this.now = now;
    }

    /** One captured content version, in change-stream order per content item. */
    public void content(String contentId, Version version) {
        List<Version> all = versions.computeIfAbsent(contentId, k -> new ArrayList<>());
        if (all.stream().noneMatch(v -> v.commitTs() == version.commitTs() && v.lsn() == version.lsn())) {
            all.add(version);
            all.sort((a, b) -> a.commitTs() != b.commitTs() ? Long.compare(a.commitTs(), b.commitTs())
                    : Long.compare(a.lsn(), b.lsn()));
        }
    }

    /** For the generic registry test: a row without a known commit checks validity only. */
    @Override
    public void accept(InputRecord record) {
        rows++;
        if (parse(record.value()) == null) {
            deadLetters.add(record.origin());
        }
    }

    /** One event row as the database holds it, committed at {@code position}. */
    public void accept(byte[] row, Position position) {
        rows++;
        EventRow e = parse(row);
        if (e == null) {
            deadLetters.add(position.origin());
            return;
        }
        Version v = contentAt(e.contentId(), position);
        String type = v == null || v.deleted() ? EnrichedEngagement.UNKNOWN : v.contentType();
        Integer length = v == null || v.deleted() ? null : v.lengthSeconds();
        BigDecimal share = share(e.durationMs(), length);
        if (EnrichedEngagement.UNKNOWN.equals(type)) {
            unknown++;
        }
        events.put(e.id(), new ExpectedEvent(e.id(), e.contentId(), e.userId(), e.eventType(), e.eventTs(), e.durationMs(),
                e.device(), type, length, share, position.commitTs()));
        long start = Math.floorDiv(e.eventTs(), rules.minuteMillis()) * rules.minuteMillis();
        if (start + rules.minuteMillis() - 1 + rules.latenessMillis() <= position.commitTs()) {
            late.put(e.id(), new Late(e.id(), e.eventTs(), position.commitTs()));
            return;
        }
        counted++;
        add(MinuteResult.Dimension.CONTENT_TYPE, start, type, share);
        add(MinuteResult.Dimension.EVENT_TYPE, start, e.eventType(), share);
        perMinuteContent.computeIfAbsent(start, k -> new HashMap<>()).merge(e.contentId(),
                new Leaderboard.Score(e.contentId(), 1, share == null ? BigDecimal.ZERO : share),
                (a, b) -> new Leaderboard.Score(a.contentId(), a.accesses() + 1, a.shareSum().add(b.shareSum())));
    }

    /** The newest version committed before the event, else the first within the wait after it, else none. */
    private Version contentAt(String contentId, Position p) {
        List<Version> all = versions.getOrDefault(contentId, List.of());
        Version before = null;
        for (Version v : all) {
            if (v.commitTs() < p.commitTs() || (v.commitTs() == p.commitTs() && v.lsn() <= p.lsn())) {
                before = v;
            }
        }
        if (before != null) {
            return before;
        }
        for (Version v : all) {
            if (v.commitTs() > p.commitTs() && v.commitTs() <= p.commitTs() + rules.maxWaitMillis()) {
                return v;
            }
        }
        return null;
    }

    private void add(MinuteResult.Dimension dimension, long start, String value, BigDecimal share) {
        String key = dimension + "/" + start + "/" + value;
        MinuteResult m = minutes.get(key);
        long events = m == null ? 0 : m.events();
        long withShare = m == null ? 0 : m.eventsWithShare();
        BigDecimal sum = m == null ? BigDecimal.ZERO : m.shareSum();
        minutes.put(key, new MinuteResult(dimension, start, value, events + 1, withShare + (share == null ? 0 : 1),
                share == null ? sum : sum.add(share)));
    }

    /** {@code duration_ms / 10 / length_seconds}, 4 decimals HALF_UP; none without a positive length. */
    static BigDecimal share(Integer durationMs, Integer lengthSeconds) {
        if (durationMs == null || lengthSeconds == null || lengthSeconds <= 0) {
            return null;
        }
        return new BigDecimal(durationMs).divide(new BigDecimal(lengthSeconds).multiply(BigDecimal.TEN), 4,
                RoundingMode.HALF_UP);
    }

    /** An event row's values, if the documented rules accept it. */
    private record EventRow(long id, String contentId, String userId, String eventType, long eventTs, Integer durationMs,
            String device) {}

    private EventRow parse(byte[] value) {
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode contentId = n.get("content_id");
        JsonNode type = n.get("event_type");
        JsonNode ts = n.get("event_ts");
        JsonNode duration = n.get("duration_ms");
        JsonNode payload = n.get("raw_payload");
        if (contentId == null || !contentId.isTextual() || type == null || !EVENT_TYPES.contains(type.asText())
                || ts == null || !ts.isTextual()) {
            return null;
        }
        if (duration != null && !duration.isNull() && (!duration.isInt() || duration.intValue() < 0)) {
            return null;
        }
        if (payload != null && !payload.isNull() && (!payload.isObject() || !payload.path("session_id").isTextual())) {
            return null;
        }
        long eventTs;
        try {
            eventTs = OffsetDateTime.parse(ts.asText()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
        if (eventTs - now > rules.maxFutureMillis()) {
            return null;
        }
        return new EventRow(n.path("id").asLong(-1), contentId.asText(), n.path("user_id").asText(null), type.asText(),
                eventTs, duration == null || duration.isNull() ? null : duration.intValue(), n.path("device").asText(null));
    }

    @Override
    public Set<String> deadLetterOrigins() {
        return deadLetters;
    }

    /** Every minute result, by {@code dimension/start/value}. */
    public Map<String, MinuteResult> minutes() {
        return minutes;
    }

    /** The minutes of event time that had counted events. */
    public List<Long> minutesWithEvents() {
        return new ArrayList<>(perMinuteContent.keySet());
    }

    /** One ranked content item: accesses and engagement (summed share / accesses, 4 decimals HALF_UP). */
    public record Ranked(String contentId, long accesses, BigDecimal engagement) {}

    /** The expected leaderboards: members in rank order. */
    public record Ranking(long windowStart, long windowEnd, List<Ranked> byAccess, List<Ranked> byEngagement) {}

    /**
     * The leaderboards over the minutes ending with {@code lastMinute}: most accesses first, then highest
     * engagement first, ties broken by content id; the top {@code topN} of each.
     */
    public Ranking leaderboard(long lastMinute) {
        long first = lastMinute - (long) (rules.leaderboardMinutes() - 1) * rules.minuteMillis();
        Map<String, Leaderboard.Score> span = new HashMap<>();
        perMinuteContent.forEach((minute, scores) -> {
            if (minute >= first && minute <= lastMinute) {
                scores.values().forEach(s -> span.merge(s.contentId(), s, (a, b) -> new Leaderboard.Score(a.contentId(),
                        a.accesses() + b.accesses(), a.shareSum().add(b.shareSum()))));
            }
        });
        List<Ranked> all = new ArrayList<>();
        span.values().forEach(s -> all.add(new Ranked(s.contentId(), s.accesses(),
                s.shareSum().divide(BigDecimal.valueOf(s.accesses()), 4, RoundingMode.HALF_UP))));
        List<Ranked> byAccess = new ArrayList<>(all);
        byAccess.sort((a, b) -> a.accesses() != b.accesses() ? Long.compare(b.accesses(), a.accesses())
                : a.contentId().compareTo(b.contentId()));
        List<Ranked> byEngagement = new ArrayList<>(all);
        byEngagement.sort((a, b) -> a.engagement().compareTo(b.engagement()) != 0 ? b.engagement().compareTo(a.engagement())
                : a.contentId().compareTo(b.contentId()));
        return new Ranking(first, lastMinute + rules.minuteMillis(), byAccess.subList(0, Math.min(rules.topN(), byAccess.size())),
                byEngagement.subList(0, Math.min(rules.topN(), byEngagement.size())));
    }

    /** Every valid event by id, enriched as of its commit. */
    public Map<Long, ExpectedEvent> events() {
        return events;
    }

    public Map<Long, Late> late() {
        return late;
    }

    public long rows() {
        return rows;
    }

    public long counted() {
        return counted;
    }

    public long unknown() {
        return unknown;
    }

    public Rules rules() {
        return rules;
    }
}
