package io.millrace.stress;

import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOutput;
import io.millrace.pipeline.LatencyProbe;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency of sampled input records: from the timestamp Kafka stored with the record (reported by the
 * producer's callback) to the first poll of the pipeline's {@link LatencyProbe} that sees its result visible. One
 * record in {@code sampleEvery} is followed; latencies go to the histogram of the stage that produced the record.
 */
public final class LatencyTracker implements AutoCloseable {
    /** Pending results asked about per poll: the oldest, which become visible first. */
    private static final int BATCH = 5000;
    private static final long POLL_MILLIS = 100;

    /** The stage index of records that are not followed (the trickle that keeps event time moving at the end). */
    public static final int UNFOLLOWED = -1;

    /** A followed record: what its result is, when Kafka stored it, and its stage. */
    private record Sample(Object key, long appendedAt, int stage) {}

    /** A result seen: when, and how long after its input was stored. */
    private record Resolved(long at, long millis) {}

    /** Resolved samples kept for {@link #recent}: enough for a minute at 1 000 followed records a second. */
    private static final int RECENT_CAPACITY = 60_000;

    private final LatencyProbe probe;
    private final int sampleEvery;
    private final ConcurrentLinkedQueue<Sample> appended = new ConcurrentLinkedQueue<>();
    private final List<Sample> pending = new ArrayList<>();
    private final Map<Integer, Histogram> histograms = new HashMap<>();
    private final Map<Integer, Integer> unresolved = new HashMap<>();
    private final ArrayDeque<Resolved> recent = new ArrayDeque<>();
    private final AtomicInteger stage = new AtomicInteger();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile String failure;

    public LatencyTracker(LatencyProbe probe, int sampleEvery) {
        this.probe = probe;
        this.sampleEvery = sampleEvery;
        this.poller = new Thread(this::pollLoop, "millrace-latency-probe");
        poller.setDaemon(true);
        poller.start();
    }

    /** What a result's visibility means for this pipeline. */
    public String describe() {
        return probe.describe();
    }

    /** One record in this many is followed. */
    public int sampleEvery() {
        return sampleEvery;
    }

    /** Records sent from now on belong to stage {@code index}. */
    public void stage(int index) {
        stage.set(index);
    }

    /** {@code output}, following one record in {@code sampleEvery} of those whose result the probe can see. */
    public GeneratorOutput follow(GeneratorOutput output) {
        return new GeneratorOutput() {
            private long seen;

            @Override
            public void send(GeneratedRecord record) {
                int at = stage.get();
                Object key = at != UNFOLLOWED && seen++ % sampleEvery == 0 ? probe.resultKey(record) : null;
                if (key == null) {
                    output.send(record);
                } else {
                    output.send(record, time -> appended.add(new Sample(key, time, at)));
                }
            }

            @Override
            public String mainTarget() {
                return output.mainTarget();
            }

            @Override
            public String referenceTarget() {
                return output.referenceTarget();
            }

            @Override
            public void flush() {
                output.flush();
            }

            @Override
            public int closingRecords() {
                return output.closingRecords();
            }

            @Override
            public void close() {
                output.close();
            }
        };
    }

    private void pollLoop() {
        while (running) {
            try {
                for (Sample s; (s = appended.poll()) != null; ) {
                    pending.add(s);
                }
                if (!pending.isEmpty()) {
                    List<Object> keys = new ArrayList<>();
                    for (int i = 0; i < Math.min(BATCH, pending.size()); i++) {
                        keys.add(pending.get(i).key());
                    }
                    Set<Object> visible = probe.visible(keys);
                    long now = System.currentTimeMillis();
                    synchronized (histograms) {
                        for (Iterator<Sample> it = pending.iterator(); it.hasNext(); ) {
                            Sample s = it.next();
                            if (visible.contains(s.key())) {
                                long millis = Math.max(0, Math.min(3_600_000L, now - s.appendedAt()));
                                histograms.computeIfAbsent(s.stage(), k -> new Histogram(3_600_000L, 3))
                                        .recordValue(millis);
                                recent.addLast(new Resolved(now, millis));
                                if (recent.size() > RECENT_CAPACITY) {
                                    recent.removeFirst();
                                }
                                it.remove();
                            }
                        }
                        unresolved.clear();
                        pending.forEach(s -> unresolved.merge(s.stage(), 1, Integer::sum));
                    }
                } else {
                    synchronized (histograms) {
                        unresolved.clear();
                    }
                }
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // Keep polling: a sink briefly unreachable delays visibility, which is what latency measures.
                failure = e.toString();
            }
        }
    }

    /** Waits until every followed record's result is visible, or {@code millis} passed; returns what is still pending. */
    public int awaitVisible(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(POLL_MILLIS * 2);
            if (appended.isEmpty() && pendingCount() == 0) {
                return 0;
            }
        }
        return pendingCount() + appended.size();
    }

    private int pendingCount() {
        synchronized (histograms) {
            return unresolved.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** The latency of the records stage {@code index} produced, as far as their results are visible now. */
    public StageResult.Latency latency(int index) {
        synchronized (histograms) {
            Histogram h = histograms.get(index);
            int open = unresolved.getOrDefault(index, 0);
            if (h == null || h.getTotalCount() == 0) {
                return new StageResult.Latency(0, open, 0, 0, 0, 0, 0);
            }
            return new StageResult.Latency(h.getTotalCount(), open, h.getValueAtPercentile(50),
                    h.getValueAtPercentile(95), h.getValueAtPercentile(99), h.getMaxValue(), h.getMinValue());
        }
    }

    /**
     * The latency of the followed records whose results became visible in the last {@code millis} (whatever their
     * stage), with the count of those still waiting: what a live view shows while data flows.
     */
    public StageResult.Latency recent(long millis) {
        long since = System.currentTimeMillis() - millis;
        synchronized (histograms) {
            int open = unresolved.values().stream().mapToInt(Integer::intValue).sum();
            Histogram h = new Histogram(3_600_000L, 3);
            for (Iterator<Resolved> it = recent.descendingIterator(); it.hasNext(); ) {
                Resolved r = it.next();
                if (r.at() < since) {
                    break;
                }
                h.recordValue(r.millis());
            }
            if (h.getTotalCount() == 0) {
                return new StageResult.Latency(0, open, 0, 0, 0, 0, 0);
            }
            return new StageResult.Latency(h.getTotalCount(), open, h.getValueAtPercentile(50),
                    h.getValueAtPercentile(95), h.getValueAtPercentile(99), h.getMaxValue(), h.getMinValue());
        }
    }

    /** The last error the probe raised, if any (null when none). */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probe.close();
    }
}
