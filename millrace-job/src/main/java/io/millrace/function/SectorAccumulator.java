package io.millrace.function;

import java.math.BigDecimal;

/** Running totals of one sector window; immutable, exact decimals. */
public record SectorAccumulator(long count, long volume, BigDecimal value, BigDecimal priceSum, BigDecimal minPrice,
        BigDecimal maxPrice) {

    public static final SectorAccumulator EMPTY =
            new SectorAccumulator(0, 0, BigDecimal.ZERO, BigDecimal.ZERO, null, null);

    public SectorAccumulator add(BigDecimal price, long tradeVolume, BigDecimal tradeValue) {
        return new SectorAccumulator(count + 1, volume + tradeVolume, value.add(tradeValue), priceSum.add(price),
                minPrice == null || price.compareTo(minPrice) < 0 ? price : minPrice,
                maxPrice == null || price.compareTo(maxPrice) > 0 ? price : maxPrice);
    }

    public SectorAccumulator merge(SectorAccumulator other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        return new SectorAccumulator(count + other.count, volume + other.volume, value.add(other.value),
                priceSum.add(other.priceSum),
                other.minPrice.compareTo(minPrice) < 0 ? other.minPrice : minPrice,
                other.maxPrice.compareTo(maxPrice) > 0 ? other.maxPrice : maxPrice);
    }
}
