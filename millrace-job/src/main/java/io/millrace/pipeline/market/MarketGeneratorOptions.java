package io.millrace.pipeline.market;

import java.time.Duration;

/**
 * How the {@code market} generator shapes its stream. Event time advances by {@code 1/rate} per trade
 * record from {@code startTime}, so the same seed and start give the same records.
 *
 * @param lateBy how far behind the event clock a late trade is: beyond the window and its lateness
 */
public record MarketGeneratorOptions(
        long seed,
        int symbols,
        double rate,
        long startTime,
        double outOfOrderFraction,
        Duration maxDelay,
        double lateFraction,
        Duration lateBy,
        double badFraction,
        double duplicateFraction,
        Duration infoInterval) {

    public MarketGeneratorOptions {
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        if (symbols < 1) {
            throw new IllegalArgumentException("--symbols must be at least 1");
        }
        for (double f : new double[] {outOfOrderFraction, lateFraction, badFraction, duplicateFraction}) {
            if (f < 0 || f > 1) {
                throw new IllegalArgumentException("fractions must be between 0 and 1, got " + f);
            }
        }
        if (outOfOrderFraction + lateFraction + badFraction + duplicateFraction > 1) {
            throw new IllegalArgumentException("the fractions add up to more than 1");
        }
    }
}
