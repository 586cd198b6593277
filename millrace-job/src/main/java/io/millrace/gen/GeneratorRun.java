package io.millrace.gen;

import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord.Target;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Drives a generator into Kafka at a fixed rate until a record count or a duration is reached (or a stop
 * is requested), reporting progress as it goes.
 */
public final class GeneratorRun {

    /** Receives progress: records for the main topic so far, and elapsed time. */
    @FunctionalInterface
    public interface Progress {
        void update(long produced, long elapsedNanos);
    }

    /** What a run produced. */
    public record Stats(Map<Kind, Long> byKind, long elapsedNanos, long maxEventTime) {

        public long count(Kind kind) {
            return byKind.getOrDefault(kind, 0L);
        }

        public long mainRecords() {
            return byKind.entrySet().stream().filter(e -> e.getKey() != Kind.INFO).mapToLong(Map.Entry::getValue).sum();
        }

        public double ratePerSecond() {
            return elapsedNanos == 0 ? 0 : mainRecords() * 1e9 / elapsedNanos;
        }
    }

    private GeneratorRun() {}

    /**
     * @param count records for the main topic to produce, or 0 for no limit
     * @param duration how long to produce, or null for no limit
     */
    public static Stats run(EventGenerator generator, GeneratorOutput output, double rate, long count, Duration duration,
            Progress progress, BooleanSupplier stopRequested) throws InterruptedException {
        Throttler throttler = new Throttler(rate);
        EnumMap<Kind, Long> byKind = new EnumMap<>(Kind.class);
        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long lastReport = start;
        long produced = 0;
        while ((count <= 0 || produced < count) && !stopRequested.getAsBoolean()) {
            GeneratedRecord record = generator.next();
            output.send(record);
            byKind.merge(record.kind(), 1L, Long::sum);
            if (record.target() != Target.MAIN) {
                continue;
            }
            produced++;
            if ((produced & 255) == 0 || rate < 1000) {
                throttler.await(produced);
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                if (now - lastReport > 200_000_000L) {
                    progress.update(produced, now - start);
                    lastReport = now;
                }
            }
        }
        output.flush();
        long elapsed = System.nanoTime() - start;
        progress.update(produced, elapsed);
        return new Stats(byKind, elapsed, generator.maxEventTime());
    }

    /** Sends the closing records (one per partition of the main input) and waits until they are written. */
    public static int appendClosing(EventGenerator generator, GeneratorOutput output, Duration after) {
        int partitions = output.closingRecords();
        for (GeneratedRecord record : generator.closing(partitions, after.toMillis())) {
            output.send(record);
        }
        output.flush();
        return partitions;
    }
}
