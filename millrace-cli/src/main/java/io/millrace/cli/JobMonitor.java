package io.millrace.cli;

import io.millrace.observe.Observation;
import io.millrace.observe.PipelineObserver;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.SinkSpec;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live status line of a running job, from a {@link PipelineObserver}'s readings: records in (Flink REST), what
 * each sink holds (rows in a table, documents in a search index, rows committed to a warehouse table, or records its
 * writer sent to a topic) with its rate and, for a fan-out sink, its backlog, and consumer lag (Kafka, as of the last
 * checkpoint).
 */
final class JobMonitor implements AutoCloseable {

    /**
     * One reading: per sink (in the pipeline's order) its count, -1 if unknown; per fan-out sink the records its feed
     * has sent it so far ({@code fed}); {@code resultsWatermark} says how far results are final.
     */
    record Snapshot(long nanos, long recordsIn, Map<String, Long> sinks, Map<String, Long> fed, long lag,
            long resultsWatermark) {

        long sink(String name) {
            return sinks.getOrDefault(name, -1L);
        }
    }

    private static final Set<Observation.Part> PARTS = EnumSet.of(Observation.Part.FLOW, Observation.Part.LAG,
            Observation.Part.WATERMARK);

    private final Pipeline pipeline;
    private final PipelineObserver observer;
    private final DeadLetterWatch deadLetters;
    private Snapshot previous;

    JobMonitor(Pipeline pipeline, String webUrl, String jobId) {
        this.pipeline = pipeline;
        this.observer = new PipelineObserver(pipeline, webUrl, jobId);
        this.deadLetters = new DeadLetterWatch(pipeline);
    }

    Snapshot poll() {
        Observation o = observer.observe(PARTS);
        Map<String, Long> sinks = new LinkedHashMap<>();
        Map<String, Long> fed = new HashMap<>();
        for (Observation.Sink sink : o.sinks()) {
            sinks.put(sink.name(), sink.count());
            if (isFanOut(sink.name())) {
                fed.put(sink.name(), sink.fed());
            }
        }
        return new Snapshot(o.nanos(), Math.max(0, o.recordsIn()), sinks, fed, o.totalLag(), o.resultsWatermark());
    }

    private boolean isFanOut(String sink) {
        return pipeline.sinks().stream().anyMatch(s -> s.name().equals(sink)
                && (s instanceof SinkSpec.SearchIndex || s instanceof SinkSpec.WarehouseTable));
    }

    /**
     * Records the group has not committed of the input there was at the first call (once the generator is
     * done); -1 if unknown. A change capture keeps adding heartbeats, so the live lag is never zero there.
     */
    long lagBehindInputAtFirstCall() {
        return observer.lagBehindInputAtFirstCall();
    }

    /**
     * The line for {@code now}: input and, per sink, its count; rates are measured since the previous line, and a
     * fan-out sink shows its backlog (what its feed has sent it that it has not written yet).
     */
    String line(Snapshot now) {
        boolean timed = previous != null && now.nanos() - previous.nanos() > 500_000_000L;
        StringBuilder line = new StringBuilder(String.format("in %,d", now.recordsIn()));
        if (timed) {
            line.append(rate(now.recordsIn(), previous.recordsIn(), now.nanos() - previous.nanos()));
        }
        now.sinks().forEach((name, n) -> {
            line.append(" | ").append(name).append(' ').append(count(n));
            Long fed = now.fed().get(name);
            if (timed && fed != null && n >= 0) {
                line.append(rate(n, previous.sink(name), now.nanos() - previous.nanos()));
            }
            if (fed != null && fed >= 0 && n >= 0) {
                line.append(String.format(" backlog %,d", Math.max(0, fed - n)));
            }
        });
        line.append(" | lag ").append(count(now.lag()));
        previous = now;
        return line.toString();
    }

    private static String rate(long now, long before, long nanos) {
        return before < 0 ? "" : String.format(" (%,.0f/s)", (now - before) * 1e9 / nanos);
    }

    static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }

    /**
     * Shows a status line in place on a terminal, or as a new line every {@code every} ticks otherwise; and,
     * on a line of its own, a warning when much of the last minute's input was dead-lettered.
     */
    void show(PrintWriter out, Snapshot now, boolean interactive, long tick, int every) {
        String dlq = pipeline.sinks().stream().filter(s -> s.role() == SinkRole.DEAD_LETTERS).map(SinkSpec::name)
                .findFirst().orElse(null);
        String warning = dlq == null ? null : deadLetters.update(now.nanos(), now.recordsIn(), now.sink(dlq));
        if (warning != null) {
            out.println((interactive ? "\n" : "") + warning);
        }
        if (interactive) {
            out.print("\r" + line(now) + "    ");
            out.flush();
        } else if (tick % every == 0) {
            out.println(line(now));
            out.flush();
        }
    }

    @Override
    public void close() {
        observer.close();
    }
}
