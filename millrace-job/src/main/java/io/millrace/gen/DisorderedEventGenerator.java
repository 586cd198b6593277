package io.millrace.gen;

import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The shared shape of the Kafka-to-Kafka pipelines' generators: an event clock at {@code rate}, and a mix of
 * on-time, out-of-order, late and malformed records; subclasses write the records.
 */
public abstract class DisorderedEventGenerator implements EventGenerator {

    protected final GeneratorOptions options;
    protected final Random random;
    private long records;
    private long maxEventTime = Long.MIN_VALUE;

    protected DisorderedEventGenerator(GeneratorOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    /** A valid record with event time {@code ts}; {@code sequence} numbers the generator's records. */
    protected abstract GeneratedRecord event(Kind kind, long ts, long sequence, Integer partition);

    /** A malformed or invalid record; each class of problem a real feed has should appear. */
    protected abstract GeneratedRecord malformed(long clock, long sequence);

    @Override
    public GeneratedRecord next() {
        long clock = options.startTime() + (long) (records * 1000.0 / options.rate());
        long sequence = records++;
        double r = random.nextDouble();
        double bad = options.badFraction();
        double late = bad + options.lateFraction();
        double ooo = late + options.outOfOrderFraction();
        if (r < bad) {
            return malformed(clock, sequence);
        }
        if (r < late) {
            return event(Kind.LATE, clock - options.lateBy().toMillis() - random.nextInt(60_000), sequence, null);
        }
        long ts = clock;
        Kind kind = Kind.TRADE;
        if (r < ooo) {
            kind = Kind.OUT_OF_ORDER;
            ts = Math.max(options.startTime(), clock - 1 - (long) (random.nextDouble() * Math.max(1, options.maxDelay().toMillis())));
        }
        maxEventTime = Math.max(maxEventTime, ts);
        return event(kind, ts, sequence, null);
    }

    @Override
    public long maxEventTime() {
        return maxEventTime;
    }

    @Override
    public List<GeneratedRecord> closing(int partitions, long after) {
        long ts = Math.max(maxEventTime, options.startTime()) + after;
        List<GeneratedRecord> closing = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            GeneratedRecord e = event(Kind.CLOSE, ts, -1 - p, p);
            closing.add(new GeneratedRecord(Kind.CLOSE, Target.MAIN, p, e.key(), e.value(), ts));
        }
        return closing;
    }

    protected static GeneratedRecord record(Kind kind, byte[] key, String value, long ts, Integer partition) {
        return new GeneratedRecord(kind, Target.MAIN, partition, key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8), ts);
    }
}
