package io.millrace.pipeline.movingaverages;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.verify.InputRecord;
import io.millrace.verify.WindowOracle;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code moving-averages} by the documented rules: per stock and epoch-aligned sliding window [s, s + size) with s a
 * multiple of the slide, the mean (HALF_UP, 8 decimals), min and max price and count. A tick is late once
 * the earliest window holding it is final, and then counts in none.
 */
public final class MovingAveragesOracle extends WindowOracle {

    private static final Pattern NAME = Pattern.compile("[A-Z0-9.\\-]{1,16}");

    private static final class Totals {
        long count;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal min;
        BigDecimal max;
    }

    private record Tick(String name, BigDecimal price) {}

    private final long size;
    private final long slide;
    private final long lateness;
    private final long maxFuture;
    private final boolean appendMode;
    private final Map<String, Totals> windows = new TreeMap<>();

    public MovingAveragesOracle(long size, long slide, long lateness, long outOfOrderness, long maxFuture,
            boolean appendMode, long now) {
        super(outOfOrderness, now);
        this.size = size;
        this.slide = slide;
        this.lateness = lateness;
        this.maxFuture = maxFuture;
        this.appendMode = appendMode;
    }

    @Override
    protected Event parse(InputRecord record) {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            return null;
        }
        String text = new String(value, StandardCharsets.UTF_8).strip();
        String name;
        String side;
        BigDecimal price;
        Long quantity;
        Long time;
        if (text.startsWith("{")) {
            JsonNode n = object(value);
            if (n == null) {
                return null;
            }
            name = text(n, "name", 16);
            side = n.path("side").isTextual() ? n.path("side").asText().strip() : null;
            price = number(n, "price");
            quantity = integer(n, "quantity");
            time = integer(n, "timestamp");
        } else {
            String[] f = text.split(",", -1);
            if (f.length != 5 && f.length != 6) {
                return null;
            }
            name = f[0].strip();
            side = f[1].strip();
            try {
                price = new BigDecimal(f[2].strip());
                quantity = Long.parseLong(f[3].strip());
                time = Long.parseLong(f[4].strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (name == null || !NAME.matcher(name).matches() || side == null || !(side.equals("BUY") || side.equals("SELL"))
                || price == null || price.signum() < 0 || quantity == null || quantity < 0 || time == null || time < 0
                || time - now > maxFuture) {
            return null;
        }
        return new Event(record.origin(), time, true, new Tick(name, price));
    }

    /** Windows holding t start at multiples of the slide in (t - size, t]; the earliest ends first. */
    @Override
    protected long cleanupTime(long t) {
        long earliestStart = Math.floorDiv(t - size, slide) * slide + slide;
        return earliestStart + size - 1 + lateness;
    }

    @Override
    protected void count(Event event) {
        Tick tick = (Tick) event.payload();
        for (long start = Math.floorDiv(event.time(), slide) * slide; start > event.time() - size; start -= slide) {
            Totals w = windows.computeIfAbsent(tick.name() + "|" + Instant.ofEpochMilli(start), k -> new Totals());
            w.count++;
            w.sum = w.sum.add(tick.price());
            w.min = w.min == null || tick.price().compareTo(w.min) < 0 ? tick.price() : w.min;
            w.max = w.max == null || tick.price().compareTo(w.max) > 0 ? tick.price() : w.max;
        }
    }

    @Override
    public Map<String, ExpectedResult> results() {
        Map<String, ExpectedResult> results = new TreeMap<>();
        windows.forEach((key, w) -> {
            long start = Instant.parse(key.substring(key.indexOf('|') + 1)).toEpochMilli();
            results.put(key, new ExpectedResult(key, start + size, fields("end", Instant.ofEpochMilli(start + size),
                    "price", plain(mean(w.sum, w.count)), "minPrice", plain(w.min), "maxPrice", plain(w.max),
                    "count", w.count)));
        });
        return results;
    }

    @Override
    public Map.Entry<String, Map<String, String>> parseResult(byte[] value) {
        JsonNode n = object(value);
        if (n == null) {
            return null;
        }
        return Map.entry(n.path("stockName").asText() + "|" + Instant.parse(n.path("start").asText()), fields(
                "end", Instant.parse(n.path("end").asText()), "price", plain(n.path("price").decimalValue()),
                "minPrice", plain(n.path("minPrice").decimalValue()), "maxPrice", plain(n.path("maxPrice").decimalValue()),
                "count", n.path("count").asLong()));
    }

    @Override
    public boolean identicalRepeatsAllowed() {
        return !appendMode;
    }
}
