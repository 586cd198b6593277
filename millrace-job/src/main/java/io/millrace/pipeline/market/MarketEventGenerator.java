package io.millrace.pipeline.market;

import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord.Target;
import io.millrace.gen.GeneratedRecord;
import io.millrace.pipeline.market.MarketSymbols.Symbol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic source of {@code market} input: every symbol's info first, then trades with
 * periodic info updates, each update written before the trades it applies to. A configurable share of
 * trades is out of order, late beyond the allowed lateness, duplicated or malformed.
 */
public final class MarketEventGenerator implements EventGenerator {
    private static final int RECENT = 64;

    private final MarketGeneratorOptions options;
    private final Random random;
    private final List<Symbol> symbols;
    private final long[] marketCaps;
    private final String idPrefix;
    private final byte[][] recentKeys = new byte[RECENT][];
    private final byte[][] recentValues = new byte[RECENT][];
    private final StringBuilder json = new StringBuilder(160);

    private int initialInfos;
    private long mainRecords;
    private long nextInfoUpdate;
    private int nextInfoSymbol;
    private int recentCount;
    private long maxTradeTime = Long.MIN_VALUE;

    public MarketEventGenerator(MarketGeneratorOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.symbols = MarketSymbols.take(options.symbols(), random);
        this.marketCaps = symbols.stream().mapToLong(Symbol::marketCap).toArray();
        this.idPrefix = "g" + options.seed() + "-" + Long.toString(options.startTime(), 36);
        this.nextInfoUpdate = options.startTime() + options.infoInterval().toMillis();
    }

    public List<Symbol> symbols() {
        return symbols;
    }

    /** Records produced so far for the trades topic (trades, duplicates and malformed records). */
    public long mainRecords() {
        return mainRecords;
    }

    /** The highest event time of a valid trade so far. */
    @Override
    public long maxEventTime() {
        return maxTradeTime;
    }

    @Override
    public GeneratedRecord next() {
        if (initialInfos < symbols.size()) {
            return info(initialInfos++, options.startTime());
        }
        long clock = options.startTime() + (long) (mainRecords * 1000.0 / options.rate());
        if (!options.infoInterval().isZero() && clock >= nextInfoUpdate) {
            long at = nextInfoUpdate;
            nextInfoUpdate += options.infoInterval().toMillis();
            int i = nextInfoSymbol;
            nextInfoSymbol = (nextInfoSymbol + 1) % symbols.size();
            // Market cap drifts by up to +-0.5 % per update: each version is distinguishable downstream.
            marketCaps[i] += Math.round(marketCaps[i] * (random.nextDouble() * 0.01 - 0.005));
            return info(i, at);
        }
        mainRecords++;
        double r = random.nextDouble();
        double bad = options.badFraction();
        double dup = bad + options.duplicateFraction();
        double late = dup + options.lateFraction();
        double ooo = late + options.outOfOrderFraction();
        if (r < bad) {
            return malformed(clock);
        }
        if (r < dup && recentCount > 0) {
            int k = random.nextInt(Math.min(recentCount, RECENT));
            return new GeneratedRecord(Kind.DUPLICATE, Target.MAIN, null, recentKeys[k], recentValues[k], clock);
        }
        if (r >= dup && r < late) {
            long ts = clock - options.lateBy().toMillis() - random.nextInt(60_000);
            return trade(Kind.LATE, ts, null);
        }
        if (r >= late && r < ooo) {
            long delay = 1 + (long) (random.nextDouble() * Math.max(1, options.maxDelay().toMillis()));
            return trade(Kind.OUT_OF_ORDER, Math.max(options.startTime(), clock - delay), null);
        }
        return trade(Kind.TRADE, clock, null);
    }

    /**
     * One trade per partition, {@code after} beyond the newest trade: it moves every partition's watermark
     * past all data generated so far, so every window and held trade becomes final.
     */
    @Override
    public List<GeneratedRecord> closing(int partitions, long after) {
        List<GeneratedRecord> records = new ArrayList<>();
        long ts = Math.max(maxTradeTime, options.startTime()) + after;
        for (int p = 0; p < partitions; p++) {
            Symbol symbol = symbols.get(0);
            byte[] value = tradeJson(idPrefix + "-close-" + p, symbol.symbol(), symbol.basePriceCents(), 1, ts);
            records.add(new GeneratedRecord(Kind.CLOSE, Target.MAIN, p, key(symbol), value, ts));
        }
        return records;
    }

    private GeneratedRecord trade(Kind kind, long ts, Integer partition) {
        Symbol symbol = symbols.get(random.nextInt(symbols.size()));
        long base = symbol.basePriceCents();
        long cents = Math.max(1, base + Math.round(base * (random.nextDouble() * 0.04 - 0.02)));
        long volume = 10 + random.nextInt(991);
        byte[] key = key(symbol);
        byte[] value = tradeJson(idPrefix + "-" + mainRecords, symbol.symbol(), cents, volume, ts);
        int slot = recentCount++ % RECENT;
        recentKeys[slot] = key;
        recentValues[slot] = value;
        if (kind != Kind.LATE) {
            maxTradeTime = Math.max(maxTradeTime, ts);
        }
        return new GeneratedRecord(kind, Target.MAIN, partition, key, value, ts);
    }

    private byte[] tradeJson(String id, String symbol, long cents, long volume, long ts) {
        json.setLength(0);
        json.append("{\"trade_id\":\"").append(id).append("\",\"symbol\":\"").append(symbol).append("\",\"price\":");
        appendCents(cents);
        json.append(",\"volume\":").append(volume).append(",\"trade_timestamp\":").append(ts).append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void appendCents(long cents) {
        json.append(cents / 100).append('.');
        long frac = cents % 100;
        if (frac < 10) {
            json.append('0');
        }
        json.append(frac);
    }

    private GeneratedRecord info(int i, long ts) {
        Symbol s = symbols.get(i);
        json.setLength(0);
        json.append("{\"symbol\":\"").append(s.symbol()).append("\",\"company\":\"").append(s.company())
                .append("\",\"sector\":\"").append(s.sector()).append("\",\"market_cap\":").append(marketCaps[i])
                .append(",\"info_timestamp\":").append(ts).append('}');
        return new GeneratedRecord(Kind.INFO, Target.REFERENCE, null, key(s), json.toString().getBytes(StandardCharsets.UTF_8), ts);
    }

    /** One of the malformed shapes real feeds produce; each must end up in the DLQ with its reason. */
    private GeneratedRecord malformed(long clock) {
        Symbol s = symbols.get(random.nextInt(symbols.size()));
        String id = idPrefix + "-" + mainRecords;
        String value = switch (random.nextInt(8)) {
            case 0 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol() + "\",\"price\":";
            case 1 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol() + "\",\"price\":12.5,\"trade_timestamp\":" + clock + "}";
            case 2 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol() + "\",\"price\":\"12.50\",\"volume\":5,\"trade_timestamp\":" + clock + "}";
            case 3 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol() + "\",\"price\":-12.5,\"volume\":5,\"trade_timestamp\":" + clock + "}";
            case 4 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol() + "\",\"price\":12.5,\"volume\":-5,\"trade_timestamp\":" + clock + "}";
            case 5 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol().toLowerCase() + "$\",\"price\":12.5,\"volume\":5,\"trade_timestamp\":" + clock + "}";
            case 6 -> "{\"trade_id\":\"" + id + "\",\"symbol\":\"" + s.symbol() + "\",\"price\":12.5,\"volume\":5,\"trade_timestamp\":"
                    + (clock + 10L * 24 * 3600 * 1000) + "}";
            default -> null;
        };
        byte[] bytes = value != null ? value.getBytes(StandardCharsets.UTF_8) : new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF};
        return new GeneratedRecord(Kind.BAD, Target.MAIN, null, key(s), bytes, clock);
    }

    private static byte[] key(Symbol s) {
        return s.symbol().getBytes(StandardCharsets.UTF_8);
    }
}
