package io.millrace.verify;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
 * SPEC 2.1 in plain Java: its own parsing and validation, join, deduplication and window arithmetic,
 * sharing no code with the Flink operators it checks.
 */
public final class MarketOracle {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9.\\-]{1,16}");

    /** The pipeline settings the expectation depends on. */
    public record Rules(long windowMillis, long maxWaitMillis, long maxFutureMillis, boolean dedup) {}

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

    /** Everything verify compares against. */
    public record Expectation(
            Map<String, ExpectedTrade> trades,
            Map<WindowKey, ExpectedWindow> windows,
            Set<String> deadLetterOrigins,
            Map<String, InputTrade> validTrades,
            long inputRecords,
            long duplicates,
            long lateTrades,
            long maxTradeTimestamp) {}

    private record InfoVersion(String company, String sector, long marketCap, long timestamp) {}

    private MarketOracle() {}

    /**
     * @param trades the trades topic, by partition then offset
     * @param infos the info topic, by partition then offset
     * @param lateIds trade ids the pipeline reported late; they are excluded from the results
     * @param now wall-clock time for the "too far in the future" rule
     */
    public static Expectation compute(List<InputRecord> trades, List<InputRecord> infos, Set<String> lateIds,
            Rules rules, long now) {
        Set<String> deadLetters = new HashSet<>();
        Map<String, List<InfoVersion>> versions = new HashMap<>();
        for (InputRecord record : infos) {
            InfoVersion version = parseInfo(record.value(), now, rules.maxFutureMillis());
            if (version == null) {
                deadLetters.add(record.origin());
            } else {
                versions.computeIfAbsent(symbolOf(record.value()), k -> new ArrayList<>()).add(version);
            }
        }

        Map<String, InputTrade> valid = new LinkedHashMap<>();
        long duplicates = 0;
        long late = 0;
        long maxTs = Long.MIN_VALUE;
        Map<String, ExpectedTrade> expected = new LinkedHashMap<>();
        // Without dedup every delivery counts in the metrics while the table keeps one row per trade_id.
        List<ExpectedTrade> counted = new ArrayList<>();
        for (InputRecord record : trades) {
            InputTrade trade = parseTrade(record, now, rules.maxFutureMillis());
            if (trade == null) {
                deadLetters.add(record.origin());
                continue;
            }
            maxTs = Math.max(maxTs, trade.timestamp());
            if (valid.containsKey(trade.tradeId())) {
                if (rules.dedup()) {
                    duplicates++;
                    continue;
                }
            } else {
                valid.put(trade.tradeId(), trade);
            }
            if (lateIds.contains(trade.tradeId())) {
                late++;
                continue;
            }
            ExpectedTrade row = join(trade, versions.getOrDefault(trade.symbol(), List.of()), rules);
            expected.put(trade.tradeId(), row);
            counted.add(row);
        }
        return new Expectation(expected, windows(counted, rules), deadLetters, valid,
                trades.size() + infos.size(), duplicates, late, maxTs);
    }

    /** The newest version with info_timestamp <= t; among equal timestamps the later record wins. */
    private static ExpectedTrade join(InputTrade trade, List<InfoVersion> versions, Rules rules) {
        InfoVersion best = null;
        for (InfoVersion v : versions) {
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

    private static Map<WindowKey, ExpectedWindow> windows(Iterable<ExpectedTrade> trades, Rules rules) {
        Map<WindowKey, List<ExpectedTrade>> groups = new HashMap<>();
        for (ExpectedTrade t : trades) {
            long start = Math.floorDiv(t.tradeTs(), rules.windowMillis()) * rules.windowMillis();
            groups.computeIfAbsent(new WindowKey(start, t.sector()), k -> new ArrayList<>()).add(t);
        }
        Map<WindowKey, ExpectedWindow> windows = new HashMap<>();
        groups.forEach((key, group) -> {
            long volume = 0;
            BigDecimal value = BigDecimal.ZERO;
            BigDecimal prices = BigDecimal.ZERO;
            BigDecimal min = null;
            BigDecimal max = null;
            long end = key.windowStart() + rules.windowMillis();
            long closesAt = end - 1;
            for (ExpectedTrade t : group) {
                volume += t.volume();
                value = value.add(t.tradeValue());
                prices = prices.add(t.price());
                min = min == null || t.price().compareTo(min) < 0 ? t.price() : min;
                max = max == null || t.price().compareTo(max) > 0 ? t.price() : max;
                closesAt = Math.max(closesAt, t.closesAt());
            }
            windows.put(key, new ExpectedWindow(key, end, group.size(), volume, value,
                    prices.divide(BigDecimal.valueOf(group.size()), 8, RoundingMode.HALF_UP),
                    value.divide(BigDecimal.valueOf(volume), 8, RoundingMode.HALF_UP), min, max, closesAt));
        });
        return windows;
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

    static InputTrade parseTrade(InputRecord record, long now, long maxFuture) {
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
        if (symbol == null || price == null || volume == null || volume <= 0 || ts == null || ts < 0 || ts - now > maxFuture) {
            return null;
        }
        String tradeId = id != null ? id.asText() : record.origin();
        return new InputTrade(tradeId, symbol, price, volume, ts, record.origin());
    }

    private static InfoVersion parseInfo(byte[] value, long now, long maxFuture) {
        JsonNode n = readObject(value);
        if (n == null) {
            return null;
        }
        String symbol = symbol(n.get("symbol"));
        String company = text(n.get("company"), 256);
        String sector = text(n.get("sector"), 64);
        Long cap = integer(n.get("market_cap"));
        Long ts = integer(n.get("info_timestamp"));
        if (symbol == null || company == null || sector == null || cap == null || cap < 0 || ts == null || ts < 0
                || ts - now > maxFuture) {
            return null;
        }
        return new InfoVersion(company, sector, cap, ts);
    }

    private static String symbolOf(byte[] value) {
        return readObject(value).get("symbol").asText();
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
