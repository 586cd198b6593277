package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.CommonSettings;
import io.millrace.config.KafkaConnection;
import io.millrace.sink.SearchClient;
import io.millrace.sink.WarehouseReader;
import io.millrace.verify.DeadLetterCheck;
import io.millrace.verify.TableCheck;
import io.millrace.verify.TopicReader;
import io.millrace.verify.VerifyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.exceptions.NoSuchTableException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * {@code verify engagement}: recomputes every Redis key and every enriched event from the truth, independently
 * of the job (the event rows in the source database, the content versions and commit positions of the change
 * history, joined and counted by {@link EngagementOracle}), and compares them with Redis, the search index, the
 * warehouse table, the late topic and the dead-letter topic. Minutes the sinks' progress has not closed yet are reported as pending.
 */
public final class EngagementVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SCORE_TOLERANCE = 1e-6;

    /** The outcome: checks of the minute keys, the leaderboards, the late topic and the dead letters. */
    public record Result(List<TableCheck> checks, DeadLetterCheck.Report deadLetterReport, long lag,
            EngagementOracle oracle, long notYetCaptured) implements VerifyResult {

        @Override
        public long inputRecords() {
            return oracle.rows();
        }

        @Override
        public TableCheck results() {
            return checks.get(0);
        }

        @Override
        public TableCheck late() {
            return checks.get(2);
        }
    }

    private EngagementVerifier() {}

    static EngagementOracle.Rules rules(EngagementConfig config) {
        CommonSettings c = config.common();
        return new EngagementOracle.Rules(c.windowSize().toMillis(), c.allowedLateness().toMillis(),
                config.maxWait().toMillis(), c.maxFuture().toMillis(), config.leaderboardMinutes(), config.topN());
    }

    public static Result verify(EngagementConfig config, Duration wait, PrintWriter out) throws Exception {
        KafkaConnection kafka = config.kafka();
        long deadline = System.nanoTime() + wait.toNanos();
        EngagementOracle oracle = new EngagementOracle(rules(config), System.currentTimeMillis());
        Set<String> invalidChanges = new HashSet<>();
        CommitTimes commits = new CommitTimes();

        TopicReader.forEach(kafka, config.contentTopic(), r -> readContent(r.value(), r.origin(), oracle, invalidChanges,
                commits));
        Map<Long, EngagementOracle.Position> positions = new HashMap<>();
        long[] maxCaptured = {Long.MIN_VALUE};
        TopicReader.forEach(kafka, config.eventsTopic(), r -> {
            Long id = readEventPosition(r.value(), r.origin(), positions, invalidChanges, commits);
            if (id != null) {
                maxCaptured[0] = Math.max(maxCaptured[0], id);
            }
        });
        // The capture keeps adding heartbeats, so consumer offsets never quite reach the end: the job has caught
        // up once its sinks' progress has passed the commit time of every change read above.
        long lag = awaitProgress(config, commits, deadline, out);

        long notYetCaptured = 0;
        TableCheck capture = new TableCheck("change capture");
        try (Connection db = config.source().open()) {
            db.setAutoCommit(false);
            try (PreparedStatement st = db.prepareStatement(
                    "SELECT id, row_to_json(e)::text FROM engagement_events e ORDER BY id")) {
                st.setFetchSize(10_000);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        EngagementOracle.Position position = positions.get(id);
                        if (position == null) {
                            if (id > maxCaptured[0]) {
                                notYetCaptured++;
                            } else {
                                capture.missing("event row " + id + " (in the database, not in " + config.eventsTopic() + ")");
                            }
                            continue;
                        }
                        oracle.accept(rs.getString(2).getBytes(java.nio.charset.StandardCharsets.UTF_8), position);
                    }
                }
            }
            db.rollback();
        }
        capture.expected(oracle.rows() + notYetCaptured);
        capture.actual(positions.size());

        Set<String> expectedDeadLetters = new HashSet<>(oracle.deadLetterOrigins());
        expectedDeadLetters.addAll(invalidChanges);
        DeadLetterCheck.Report deadLetters;
        List<TableCheck> checks;
        long minutesHorizon;
        long leaderboardHorizon;
        while (true) {
            try (Jedis redis = EngagementDefinition.redis(config).open(Duration.ofSeconds(30))) {
                Map<String, String> progress = redis.hgetAll(RedisKeys.PROGRESS);
                minutesHorizon = EngagementDefinition.MINUTES_PROGRESS.watermark(progress);
                leaderboardHorizon = EngagementDefinition.LEADERBOARD_PROGRESS.watermark(progress);
                deadLetters = DeadLetterCheck.check(kafka, config.dlqTopic(), expectedDeadLetters);
                checks = List.of(checkMinutes(redis, oracle, minutesHorizon), checkLeaderboards(redis, oracle, leaderboardHorizon),
                        checkLate(kafka, config.lateTopic(), oracle), deadLetters.check(), capture,
                        checkSearch(config, oracle), checkWarehouse(config, oracle));
            }
            boolean clean = checks.stream().allMatch(c -> c.differences() == 0);
            if (clean || System.nanoTime() > deadline) {
                break;
            }
            // The late topic's last records become visible when the checkpoint after them commits.
            Thread.sleep(2000);
        }
        Result result = new Result(checks, deadLetters, lag, oracle, notYetCaptured);
        print(out, config, minutesHorizon, result);
        return result;
    }

    /** A content change of the history, by the documented change format; an invalid one is expected in the DLQ. */
    private static void readContent(byte[] value, String origin, EngagementOracle oracle, Set<String> invalid,
            CommitTimes commits) {
        JsonNode n = tree(value);
        if (n != null && n.has("heartbeat")) {
            return;
        }
        commits.add(n == null ? Long.MIN_VALUE : n.path("source").path("ts_ms").asLong(Long.MIN_VALUE));
        JsonNode source = n == null ? null : n.get("source");
        String op = n == null ? null : n.path("op").asText(null);
        if (source == null || op == null || !source.path("ts_ms").canConvertToLong() || !source.path("lsn").canConvertToLong()) {
            invalid.add(origin);
            return;
        }
        long ts = source.get("ts_ms").longValue();
        long lsn = source.get("lsn").longValue();
        if (op.equals("d")) {
            JsonNode before = n.get("before");
            if (before == null || !before.path("id").isTextual()) {
                invalid.add(origin);
                return;
            }
            oracle.content(before.get("id").asText(), new EngagementOracle.Version(ts, lsn, true, null, null));
            return;
        }
        JsonNode after = n.get("after");
        if (!Set.of("r", "c", "u").contains(op) || after == null || !after.path("id").isTextual()
                || !after.path("content_type").isTextual() || after.get("content_type").asText().isBlank()) {
            invalid.add(origin);
            return;
        }
        JsonNode length = after.get("length_seconds");
        if (length != null && !length.isNull() && (!length.isInt() || length.intValue() < 0)) {
            invalid.add(origin);
            return;
        }
        oracle.content(after.get("id").asText(), new EngagementOracle.Version(ts, lsn, false,
                after.get("content_type").asText(), length == null || length.isNull() ? null : length.intValue()));
    }

    /** Records where an event was first delivered; updates and deletes of events are expected in the DLQ. */
    private static Long readEventPosition(byte[] value, String origin, Map<Long, EngagementOracle.Position> positions,
            Set<String> invalid, CommitTimes commits) {
        JsonNode n = tree(value);
        if (n != null && n.has("heartbeat")) {
            return null;
        }
        commits.add(n == null ? Long.MIN_VALUE : n.path("source").path("ts_ms").asLong(Long.MIN_VALUE));
        JsonNode source = n == null ? null : n.get("source");
        String op = n == null ? null : n.path("op").asText(null);
        JsonNode after = n == null ? null : n.get("after");
        if (source == null || op == null || !(op.equals("c") || op.equals("r")) || after == null
                || !after.path("id").canConvertToLong() || !source.path("ts_ms").canConvertToLong()
                || !source.path("lsn").canConvertToLong()) {
            invalid.add(origin);
            return null;
        }
        long id = after.get("id").longValue();
        positions.putIfAbsent(id, new EngagementOracle.Position(source.get("ts_ms").longValue(),
                source.get("lsn").longValue(), origin));
        return id;
    }

    /** The commit times of the changes read (an unreadable record counts as committed at the beginning of time). */
    private static final class CommitTimes {
        private long[] values = new long[1024];
        private int size;

        void add(long commitTs) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = commitTs;
        }

        long after(long horizon) {
            long n = 0;
            for (int i = 0; i < size; i++) {
                if (values[i] > horizon) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Waits until both sinks' progress covers every change read; returns how many it does not cover. */
    private static long awaitProgress(EngagementConfig config, CommitTimes commits, long deadline, PrintWriter out)
            throws InterruptedException {
        boolean announced = false;
        while (true) {
            long horizon = Long.MIN_VALUE;
            try (Jedis redis = EngagementDefinition.redis(config).open(Duration.ofSeconds(30))) {
                Map<String, String> progress = redis.hgetAll(RedisKeys.PROGRESS);
                horizon = Math.min(EngagementDefinition.MINUTES_PROGRESS.watermark(progress),
                        EngagementDefinition.LEADERBOARD_PROGRESS.watermark(progress));
            } catch (JedisException e) {
                // Redis restarting: not caught up as far as anyone can tell.
            }
            long behind = commits.after(horizon);
            if (behind == 0 || System.nanoTime() > deadline) {
                if (announced) {
                    out.println();
                }
                return behind;
            }
            out.printf("\rwaiting for the pipeline: %,d captured changes committed after its sinks' progress (%s)   ",
                    behind, horizon == Long.MIN_VALUE ? "none yet" : Instant.ofEpochMilli(horizon).toString());
            out.flush();
            announced = true;
            Thread.sleep(1000);
        }
    }

    /** The change record, unwrapped from a Kafka Connect schema envelope if it has one. */
    private static JsonNode tree(byte[] value) {
        try {
            JsonNode n = value == null ? null : JSON.readTree(value);
            return n != null && n.has("schema") && n.path("payload").isObject() ? n.get("payload") : n;
        } catch (IOException e) {
            return null;
        }
    }

    /** Every final minute's hash fields and sorted-set scores; fields Redis has that no event explains are extra. */
    private static TableCheck checkMinutes(Jedis redis, EngagementOracle oracle, long horizon) {
        TableCheck check = new TableCheck("redis minutes");
        EngagementOracle.Rules rules = oracle.rules();
        Set<String> expectedFields = new HashSet<>();
        long actual = 0;
        for (MinuteResult m : oracle.minutes().values()) {
            String minute = RedisKeys.minute(m.windowStart());
            boolean contentType = m.dimension() == MinuteResult.Dimension.CONTENT_TYPE;
            String accessKey = (contentType ? RedisKeys.ACCESS_BY_TYPE : RedisKeys.ACCESS_BY_EVENT) + minute;
            expectedFields.add(accessKey + "#" + m.value());
            if (m.windowStart() + rules.minuteMillis() - 1 + rules.latenessMillis() > horizon) {
                check.pending();
                continue;
            }
            String events = redis.hget(accessKey, m.value());
            if (events == null) {
                check.missing(accessKey + " " + m.value());
                continue;
            }
            actual++;
            if (Long.parseLong(events) != m.events()) {
                check.wrong(accessKey + " " + m.value() + ": expected " + m.events() + " events, found " + events);
            }
            if (contentType) {
                Double sum = redis.zscore(RedisKeys.ENGAGEMENT_BY_TYPE + minute, m.value());
                if (sum == null || Math.abs(sum - m.shareSum().doubleValue()) > SCORE_TOLERANCE) {
                    check.wrong(RedisKeys.ENGAGEMENT_BY_TYPE + minute + " " + m.value() + ": expected " + m.shareSum()
                            + ", found " + sum);
                }
                BigDecimal average = m.averageShare();
                String found = redis.hget(RedisKeys.ENGAGEMENT_AVG_BY_TYPE + minute, m.value());
                if (average == null ? found != null : found == null || new BigDecimal(found).compareTo(average) != 0) {
                    check.wrong(RedisKeys.ENGAGEMENT_AVG_BY_TYPE + minute + " " + m.value() + ": expected " + average
                            + ", found " + found);
                }
            }
        }
        check.expected(oracle.minutes().size());
        check.actual(actual);
        for (String prefix : List.of(RedisKeys.ACCESS_BY_TYPE, RedisKeys.ACCESS_BY_EVENT)) {
            for (String key : keys(redis, prefix + "*")) {
                for (String field : redis.hkeys(key)) {
                    if (!expectedFields.contains(key + "#" + field)) {
                        check.extra(key + " " + field + " (no counted event explains it)");
                    }
                }
            }
        }
        return check;
    }

    /** The leaderboards of the last final minute with events: members, order and scores. */
    private static TableCheck checkLeaderboards(Jedis redis, EngagementOracle oracle, long horizon) {
        TableCheck check = new TableCheck("redis leaderboards");
        EngagementOracle.Rules rules = oracle.rules();
        Long last = null;
        for (long minute : oracle.minutesWithEvents()) {
            if (minute + rules.minuteMillis() - 1 + rules.latenessMillis() <= horizon) {
                last = minute;
            } else {
                check.pending();
            }
        }
        if (last == null) {
            check.expected(0);
            return check;
        }
        EngagementOracle.Ranking expected = oracle.leaderboard(last);
        check.expected(expected.byAccess().size() + expected.byEngagement().size());
        String window = redis.get(RedisKeys.LEADERBOARD_WINDOW);
        String expectedWindow = Instant.ofEpochMilli(expected.windowStart()) + "/" + Instant.ofEpochMilli(expected.windowEnd());
        if (!expectedWindow.equals(window)) {
            check.wrong(RedisKeys.LEADERBOARD_WINDOW + ": expected " + expectedWindow + ", found " + window);
        }
        long actual = compareRanking(redis, RedisKeys.TOP_BY_ACCESS, expected.byAccess(), r -> (double) r.accesses(), check);
        actual += compareRanking(redis, RedisKeys.TOP_BY_ENGAGEMENT, expected.byEngagement(),
                r -> r.engagement().doubleValue(), check);
        check.actual(actual);
        return check;
    }

    private static long compareRanking(Jedis redis, String key, List<EngagementOracle.Ranked> expected,
            java.util.function.ToDoubleFunction<EngagementOracle.Ranked> score, TableCheck check) {
        List<Tuple> found = redis.zrevrangeWithScores(key, 0, -1);
        Map<String, Double> scores = new LinkedHashMap<>();
        found.forEach(t -> scores.put(t.getElement(), t.getScore()));
        for (EngagementOracle.Ranked r : expected) {
            Double s = scores.remove(r.contentId());
            if (s == null) {
                check.missing(key + " " + r.contentId());
            } else if (Math.abs(s - score.applyAsDouble(r)) > SCORE_TOLERANCE) {
                check.wrong(key + " " + r.contentId() + ": expected " + score.applyAsDouble(r) + ", found " + s);
            }
        }
        scores.keySet().forEach(member -> check.extra(key + " " + member + " (not in the expected top "
                + expected.size() + ")"));
        return found.size();
    }

    /** Every valid event once in the search index, as its document, with its fields as of its commit. */
    private static TableCheck checkSearch(EngagementConfig config, EngagementOracle oracle) {
        EnrichedEventCheck check = new EnrichedEventCheck("search " + config.searchIndex(), oracle.events());
        SearchClient client = new SearchClient(config.search(), Duration.ofSeconds(60));
        try {
            if (client.exists(config.searchIndex())) {
                // Documents become searchable at the next refresh; the checkpoint already made them durable.
                client.refresh(config.searchIndex());
                client.scan(config.searchIndex(), hit -> check.searchDocument(hit.path("_id").asText(), hit.path("_source")));
            }
        } catch (IOException e) {
            return check.unreadable("the search node at " + client.url() + " did not answer: " + e.getMessage());
        }
        return check.finish();
    }

    /** Every valid event once in the warehouse table's current snapshot, with its fields as of its commit. */
    private static TableCheck checkWarehouse(EngagementConfig config, EngagementOracle oracle) {
        EnrichedEventCheck check = new EnrichedEventCheck("warehouse " + config.warehouseTable(), oracle.events());
        try (WarehouseReader reader = WarehouseReader.open(config.warehouse(), config.warehouseTable())) {
            reader.rows().forEach(check::warehouseRow);
        } catch (NoSuchTableException e) {
            // Not created yet: every event is missing.
        } catch (RuntimeException e) {
            return check.unreadable("the warehouse table could not be read: " + e.getMessage());
        }
        return check.finish();
    }

    /** Every expected late event once, nothing else. */
    private static TableCheck checkLate(KafkaConnection kafka, String topic, EngagementOracle oracle) {
        TableCheck check = new TableCheck(topic);
        Set<String> seen = new HashSet<>();
        long records = TopicReader.forEach(kafka, topic, r -> {
            JsonNode n = tree(r.value());
            String id = n == null ? null : n.path("id").asText(null);
            if (id == null) {
                check.wrong("unreadable late event at " + r.origin());
            } else if (!seen.add(id)) {
                check.duplicated("late event " + id);
            } else if (!oracle.late().containsKey(Long.parseLong(id))) {
                check.extra("late event " + id + " (on time by its commit time)");
            }
        });
        check.expected(oracle.late().size());
        check.actual(records);
        oracle.late().keySet().forEach(id -> {
            if (!seen.contains(Long.toString(id))) {
                check.missing("late event " + id);
            }
        });
        return check;
    }

    private static List<String> keys(Jedis redis, String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    private static void print(PrintWriter out, EngagementConfig config, long horizon, Result result) {
        EngagementOracle o = result.oracle();
        out.printf("verify engagement: %,d event rows in the source database (%,d not captured yet), %,d counted, "
                + "%,d of unknown content, %,d late%n", o.rows() + result.notYetCaptured(), result.notYetCaptured(),
                o.counted(), o.unknown(), o.late().size());
        out.printf("closed up to: %s (commit time, the Redis sinks' progress)%n",
                horizon == Long.MIN_VALUE ? "nothing yet" : Instant.ofEpochMilli(horizon).toString());
        out.println();
        out.printf("%-28s %12s %12s %9s %9s %9s %9s %9s%n", "sink", "expected", "actual", "missing", "extra", "dup",
                "wrong", "pending");
        for (TableCheck c : result.checks()) {
            out.printf("%-28s %,12d %,12d %,9d %,9d %,9d %,9d %,9d%n", c.name(), c.expectedCount(), c.actualCount(),
                    c.missingCount(), c.extraCount(), c.duplicatedCount(), c.wrongCount(), c.pendingCount());
        }
        out.println();
        result.deadLetterReport().print(out, o.rows());
        for (TableCheck c : result.checks()) {
            c.examples().forEach(x -> out.println("  " + c.name() + ": " + x));
        }
        result.printVerdict(out);
        out.flush();
    }
}
