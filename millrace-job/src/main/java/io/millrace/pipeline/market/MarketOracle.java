package io.millrace.pipeline.market;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import io.millrace.verify.LongHashSet;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the {@code market} pipeline must have produced, recomputed from its input topics by the rules of
 * The documented rules of docs/pipelines/market.md in plain Java: its own parsing and validation, join, deduplication and window arithmetic,
 * sharing no code with the Flink operators it checks. Trades are fed one at a time, in partition and
 * offset order, so inputs of any size fit: only ids (as 64-bit fingerprints) and windows are kept.
 */
public final class MarketOracle implements InputOracle {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9.\\-]{1,16}");

    /** The pipeline settings the expectation depends on. */
    public record Rules(long windowMillis, long allowedLatenessMillis, long outOfOrdernessMillis, long maxWaitMillis,
            long maxFutureMillis, boolean dedup) {}

    /** An expected {@code late_trades} row: the trade and the watermark of its partition when it arrived. */
    public record ExpectedLate(String tradeId, String symbol, BigDecimal price, long volume, long tradeTs,
            long watermark) {}

    /** A valid trade from the input. */
    public record InputTrade(String tradeId, String symbol, BigDecimal price, long volume, long timestamp, String origin) {}

    /** An expected {@code enriched_trades} row; final once the sink watermark reaches {@code closesAt}. */
    public record ExpectedTrade(String tradeId, String symbol, BigDecimal price, long volume, long tradeTs,
            String company, String sector, Long marketCap, Long infoTs, BigDecimal tradeValue, boolean enriched,
            long closesAt) {}

    /** Key of a {@code sector_metrics} row. */
    public record WindowKey(long windowStart, String sector) {}

    /** An expected {@code sector_metrics} row; final once the sink watermark reaches {@code closesAt}. */
    public record ExpectedWindow(WindowKey key, long windowEnd, long tradeCount, long totalVolume, BigDecimal totalValue,
            BigDecimal avgPrice, BigDecimal vwap, BigDecimal minPrice, BigDecimal maxPrice, long closesAt) {}

    private record InfoVersion(String company, String sector, long marketCap, long timestamp) {}

    /** Running totals of one expected window. */
    private static final class WindowTotals {
        long count;
        long volume;
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal prices = BigDecimal.ZERO;
        BigDecimal min;
        BigDecimal max;
        long closesAt;
    }

    private final Rules rules;
    private final long now;
    private final Map<String, List<InfoVersion>> versions = new HashMap<>();
    private final Set<String> deadLetters = new HashSet<>();
    private final LongHashSet seenIds = new LongHashSet();
    private final Map<String, ExpectedLate> late = new LinkedHashMap<>();
    private final Map<Integer, Long> partitionClocks = new HashMap<>();
    private final Map<WindowKey, WindowTotals> windows = new HashMap<>();
    private long tradeRecords;
    private long expectedRows;
    private long duplicates;
    private long lateDeliveries;
    private long maxTradeTimestamp = Long.MIN_VALUE;

    /**
     * @param infos the info topic, by partition then offset
     * @param now wall-clock time for the "too far in the future" rule
     */
    public MarketOracle(List<InputRecord> infos, Rules rules, long now) {
        this.rules = rules;
        this.now = now;
        for (InputRecord record : infos) {
            JsonNode n = readObject(record.value());
            InfoVersion version = n == null ? null : parseInfo(n);
            if (version == null) {
                deadLetters.add(record.origin());
            } else {
                versions.computeIfAbsent(n.get("symbol").asText(), k -> new ArrayList<>()).add(version);
            }
        }
    }

    /**
     * Takes the next trades-topic record; returns the {@code enriched_trades} row it must produce, or null
     * when it produces none (invalid, a duplicate delivery, or late).
     */
    public ExpectedTrade expect(InputRecord record) {
        tradeRecords++;
        InputTrade trade = parseTrade(record);
        if (trade == null) {
            deadLetters.add(record.origin());
            return null;
        }
        maxTradeTimestamp = Math.max(maxTradeTimestamp, trade.timestamp());
        // Late: the trade's window closed (end + allowed lateness) before its partition's watermark, the
        // partition's highest event time so far minus the out-of-orderness bound.
        Long clock = partitionClocks.get(record.partition());
        long watermark = clock == null ? Long.MIN_VALUE : clock - rules.outOfOrdernessMillis() - 1;
        long windowStart = Math.floorDiv(trade.timestamp(), rules.windowMillis()) * rules.windowMillis();
        if (clock != null && windowStart + rules.windowMillis() - 1 + rules.allowedLatenessMillis() <= watermark) {
            late.put(trade.tradeId(), new ExpectedLate(trade.tradeId(), trade.symbol(), trade.price(), trade.volume(),
                    trade.timestamp(), watermark));
            lateDeliveries++;
            return null;
        }
        if (clock == null || trade.timestamp() > clock) {
            partitionClocks.put(record.partition(), trade.timestamp());
        }
        boolean first = seenIds.add(LongHashSet.fingerprint(trade.tradeId()));
        if (!first && rules.dedup()) {
            duplicates++;
            return null;
        }
        ExpectedTrade row = join(trade);
        count(row);
        if (first) {
            expectedRows++;
            return row;
        }
        // Without dedup a re-delivery counts in the metrics but rewrites the same row.
        return null;
    }

    @Override
    public void accept(InputRecord record) {
        expect(record);
    }

    @Override
    public Set<String> deadLetterOrigins() {
        return deadLetters;
    }

    /** The expected {@code late_trades} rows, by trade id (a later delivery replaces an earlier one). */
    public Map<String, ExpectedLate> late() {
        return late;
    }

    public long tradeRecords() {
        return tradeRecords;
    }

    public long expectedRows() {
        return expectedRows;
    }

    public long duplicates() {
        return duplicates;
    }

    public long lateDeliveries() {
        return lateDeliveries;
    }

    public long maxTradeTimestamp() {
        return maxTradeTimestamp;
    }

    public Map<WindowKey, ExpectedWindow> windows() {
        Map<WindowKey, ExpectedWindow> result = new HashMap<>();
        windows.forEach((key, w) -> result.put(key, new ExpectedWindow(key, key.windowStart() + rules.windowMillis(),
                w.count, w.volume, w.value, w.prices.divide(BigDecimal.valueOf(w.count), 8, RoundingMode.HALF_UP),
                w.value.divide(BigDecimal.valueOf(w.volume), 8, RoundingMode.HALF_UP), w.min, w.max, w.closesAt)));
        return result;
    }

    /** The newest version with info_timestamp <= t; among equal timestamps the later record wins. */
    private ExpectedTrade join(InputTrade trade) {
        InfoVersion best = null;
        for (InfoVersion v : versions.getOrDefault(trade.symbol(), List.of())) {
            if (v.timestamp() <= trade.timestamp() && (best == null || v.timestamp() >= best.timestamp())) {
                best = v;
            }
        }
        BigDecimal value = trade.price().multiply(new BigDecimal(trade.volume()));
        if (best == null) {
            return new ExpectedTrade(trade.tradeId(), trade.symbol(), trade.price(), trade.volume(), trade.timestamp(),
                    null, "UNKNOWN", null, null, value, false, trade.timestamp() + rules.maxWaitMillis());
        }
        return new ExpectedTrade(trade.tradeId(), trade.symbol(), trade.price(), trade.volume(), trade.timestamp(),
                best.company(), best.sector(), best.marketCap(), best.timestamp(), value, true, trade.timestamp());
    }

    private void count(ExpectedTrade t) {
        long start = Math.floorDiv(t.tradeTs(), rules.windowMillis()) * rules.windowMillis();
        WindowTotals w = windows.computeIfAbsent(new WindowKey(start, t.sector()), k -> {
            WindowTotals totals = new WindowTotals();
            totals.closesAt = start + rules.windowMillis() - 1;
            return totals;
        });
        w.count++;
        w.volume += t.volume();
        w.value = w.value.add(t.tradeValue());
        w.prices = w.prices.add(t.price());
        w.min = w.min == null || t.price().compareTo(w.min) < 0 ? t.price() : w.min;
        w.max = w.max == null || t.price().compareTo(w.max) > 0 ? t.price() : w.max;
        w.closesAt = Math.max(w.closesAt, t.closesAt());
    }

    private static JsonNode readObject(byte[] value) {
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

    private InputTrade parseTrade(InputRecord record) {
        JsonNode n = readObject(record.value());
        if (n == null) {
            return null;
        }
        JsonNode id = n.get("trade_id");
        if (id != null && !(id.isTextual() && !id.asText().isBlank() && id.asText().length() <= 128)) {
            return null;
        }
        String symbol = symbol(n.get("symbol"));
        BigDecimal price = positiveNumber(n.get("price"));
        Long volume = integer(n.get("volume"));
        Long ts = integer(n.get("trade_timestamp"));
        if (symbol == null || price == null || volume == null || volume <= 0 || ts == null || ts < 0
                || ts - now > rules.maxFutureMillis()) {
            return null;
        }
        String tradeId = id != null ? id.asText() : record.origin();
        return new InputTrade(tradeId, symbol, price, volume, ts, record.origin());
    }

    private InfoVersion parseInfo(JsonNode n) {
        String symbol = symbol(n.get("symbol"));
        String company = text(n.get("company"), 256);
        String sector = text(n.get("sector"), 64);
        Long cap = integer(n.get("market_cap"));
        Long ts = integer(n.get("info_timestamp"));
        if (symbol == null || company == null || sector == null || cap == null || cap < 0 || ts == null || ts < 0
                || ts - now > rules.maxFutureMillis()) {
            return null;
        }
        return new InfoVersion(company, sector, cap, ts);
    }

    private static String symbol(JsonNode node) {
        return node != null && node.isTextual() && SYMBOL.matcher(node.asText()).matches() ? node.asText() : null;
    }

    private static String text(JsonNode node, int maxLength) {
        return node != null && node.isTextual() && !node.asText().isBlank() && node.asText().length() <= maxLength
                ? node.asText() : null;
    }

    private static BigDecimal positiveNumber(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        BigDecimal value = node.decimalValue();
        return value.signum() > 0 ? value : null;
    }

    private static Long integer(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
    }
}
