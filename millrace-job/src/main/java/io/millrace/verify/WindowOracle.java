package io.millrace.verify;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The expectation of a windowed Kafka-to-Kafka pipeline, recomputed from its input topic by the documented
 * rules in plain Java. Subclasses parse and validate records and aggregate windows; this class keeps the
 * per-partition clocks that decide lateness, the watermark the input lets the pipeline reach, and the
 * dead letters. Records are fed one at a time in partition and offset order.
 */
public abstract class WindowOracle implements InputOracle {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** A valid input event: its id, event time, and whether the pipeline counts it (others are ignored). */
    public record Event(String id, long time, boolean counted, Object payload) {}

    /** One expected window result: its key in the output topic, its fields (normalised), and its end. */
    public record ExpectedResult(String key, long windowEnd, Map<String, String> fields) {}

    /** One expected late event: how often it is expected, and the partition watermark it met. */
    public record ExpectedLate(String id, long watermark, int count) {}

    protected final long outOfOrderness;
    protected final long now;
    private final Map<Integer, Long> countedClocks = new HashMap<>();
    private final Map<Integer, Long> sourceClocks = new HashMap<>();
    private final Set<String> deadLetters = new HashSet<>();
    private final Map<String, ExpectedLate> late = new LinkedHashMap<>();
    private long records;
    private long counted;
    private long ignored;
    private long lateEvents;

    protected WindowOracle(long outOfOrderness, long now) {
        this.outOfOrderness = outOfOrderness;
        this.now = now;
    }

    /** The record as a valid event, or null if the pipeline must dead-letter it. */
    protected abstract Event parse(InputRecord record);

    /** When the (earliest) window of an event at {@code t} is final. */
    protected abstract long cleanupTime(long t);

    /** Adds a counted, on-time event to its window(s). */
    protected abstract void count(Event event);

    /** The expected final result of every window, by output key. */
    public abstract Map<String, ExpectedResult> results();

    @Override
    public void accept(InputRecord record) {
        records++;
        Event event = parse(record);
        if (event == null) {
            deadLetters.add(record.origin());
            return;
        }
        sourceClocks.merge(record.partition(), event.time(), Math::max);
        if (!event.counted()) {
            ignored++;
            return;
        }
        // The pipeline filters first, then judges lateness by the partition's counted events so far.
        Long clock = countedClocks.get(record.partition());
        long watermark = clock == null ? Long.MIN_VALUE : clock - outOfOrderness - 1;
        if (clock != null && cleanupTime(event.time()) <= watermark) {
            lateEvents++;
            ExpectedLate previous = late.get(event.id());
            late.put(event.id(), new ExpectedLate(event.id(), watermark, previous == null ? 1 : previous.count() + 1));
            return;
        }
        countedClocks.merge(record.partition(), event.time(), Math::max);
        counted++;
        count(event);
    }

    /**
     * The watermark the pipeline reaches once it has read all this input: for every partition that has
     * valid records, its highest event time minus the bound; the lowest of those.
     */
    public long horizon() {
        return sourceClocks.values().stream().mapToLong(t -> t - outOfOrderness - 1).min().orElse(Long.MIN_VALUE);
    }

    @Override
    public Set<String> deadLetterOrigins() {
        return deadLetters;
    }

    public Map<String, ExpectedLate> late() {
        return late;
    }

    public long records() {
        return records;
    }

    public long countedEvents() {
        return counted;
    }

    public long ignoredEvents() {
        return ignored;
    }

    public long lateEvents() {
        return lateEvents;
    }

    // --- helpers for subclasses: strict field reads on a JSON tree ---

    protected static JsonNode object(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    protected static String text(JsonNode n, String field, int maxLength) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() && v.asText().length() <= maxLength ? v.asText() : null;
    }

    protected static Long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }

    protected static BigDecimal number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isNumber() ? v.decimalValue() : null;
    }

    protected static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    protected static BigDecimal mean(BigDecimal sum, long count) {
        return sum.divide(BigDecimal.valueOf(count), 8, RoundingMode.HALF_UP);
    }

    protected static Map<String, String> fields(Object... pairs) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], String.valueOf(pairs[i + 1]));
        }
        return map;
    }

    /** Reads one output record into normalised fields keyed like {@link #results()}. */
    public abstract Map.Entry<String, Map<String, String>> parseResult(byte[] value);

    /** Fields compared only approximately (the HLL estimate), with their tolerance; empty: all exact. */
    public Map<String, Double> tolerances() {
        return Map.of();
    }

    /**
     * True when a window may legitimately be published twice with the same content (an early result that
     * turned out final). Otherwise every further record of a window is a correction, so an identical repeat
     * is a replayed duplicate.
     */
    public boolean identicalRepeatsAllowed() {
        return false;
    }
}
