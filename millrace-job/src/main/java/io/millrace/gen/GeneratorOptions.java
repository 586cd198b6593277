package io.millrace.gen;

import java.time.Duration;

/**
 * How a Kafka-to-Kafka pipeline's generator shapes its stream; event time advances by {@code 1/rate} per
 * record from {@code startTime}, so a seed and a start time give the same records.
 *
 * @param lateBy how far behind the event clock a late record is: beyond its window and the lateness
 */
public record GeneratorOptions(long seed, double rate, long startTime, double outOfOrderFraction,
        Duration maxDelay, double lateFraction, Duration lateBy, double badFraction) {

    public GeneratorOptions {
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        for (double f : new double[] {outOfOrderFraction, lateFraction, badFraction}) {
            if (f < 0 || f > 1) {
                throw new IllegalArgumentException("fractions must be between 0 and 1, got " + f);
            }
        }
        if (outOfOrderFraction + lateFraction + badFraction > 1) {
            throw new IllegalArgumentException("the fractions add up to more than 1");
        }
    }
}
