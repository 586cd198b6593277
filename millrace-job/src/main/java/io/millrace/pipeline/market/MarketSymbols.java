package io.millrace.pipeline.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The symbols of the seed's original generator, plus any number of synthetic ones. */
public final class MarketSymbols {

    /** One tradable symbol with its reference data and base price in cents. */
    public record Symbol(String symbol, String company, String sector, long marketCap, long basePriceCents) {}

    private static final List<Symbol> ORIGINALS = List.of(
            new Symbol("AAPL", "Apple Inc.", "Technology", 2_800_000_000_000L, 17_800),
            new Symbol("GOOGL", "Alphabet Inc.", "Technology", 1_750_000_000_000L, 14_000),
            new Symbol("MSFT", "Microsoft Corporation", "Technology", 2_750_000_000_000L, 37_000),
            new Symbol("AMZN", "Amazon.com Inc.", "Consumer Cyclical", 1_500_000_000_000L, 14_500),
            new Symbol("TSLA", "Tesla Inc.", "Automotive", 760_000_000_000L, 24_000),
            new Symbol("META", "Meta Platforms Inc.", "Technology", 850_000_000_000L, 33_000),
            new Symbol("NVDA", "NVIDIA Corporation", "Technology", 1_200_000_000_000L, 48_000),
            new Symbol("JPM", "JPMorgan Chase & Co.", "Financial Services", 430_000_000_000L, 15_000));

    private static final String[] SECTORS = {"Technology", "Healthcare", "Energy", "Financial Services",
        "Industrials", "Utilities", "Consumer Defensive", "Real Estate"};

    private MarketSymbols() {}

    /** The first {@code count} of the originals, then synthetic {@code SYN0009}... drawn from {@code random}. */
    public static List<Symbol> take(int count, Random random) {
        List<Symbol> symbols = new ArrayList<>(ORIGINALS.subList(0, Math.min(count, ORIGINALS.size())));
        for (int i = ORIGINALS.size() + 1; symbols.size() < count; i++) {
            String name = String.format("SYN%04d", i);
            symbols.add(new Symbol(name, "Synthetic " + i + " Corp.", SECTORS[random.nextInt(SECTORS.length)],
                    1_000_000_000L + random.nextInt(500_000) * 1_000_000L, 1_000 + random.nextInt(49_000)));
        }
        return symbols;
    }
}
