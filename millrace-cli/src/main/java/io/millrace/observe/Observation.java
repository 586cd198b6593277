package io.millrace.observe;

import io.millrace.pipeline.SinkRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One reading of a running pipeline, as {@link PipelineObserver#observe} takes it: what flowed in and out of each
 * operator and sink, consumer lag, watermarks, the last checkpoint, the latest dead letters and results. Counts are -1
 * and rates NaN when unknown (not read, or not readable right now); rates are per second since the observer's previous
 * reading.
 *
 * @param pipeline the pipeline's name
 * @param jobId the Flink job observed
 * @param timeMillis wall-clock time of the reading (epoch ms)
 * @param nanos {@link System#nanoTime()} of the reading, for rates
 * @param recordsIn records all sources have emitted
 * @param inPerSecond the sources' rate
 * @param operators per vertex of the job (a chain of operators), in the job's order
 * @param sinks per sink, in the pipeline's order
 * @param lag per input partition: the group's committed offset and the end offset
 * @param watermark the lowest input watermark of the main results' writer (epoch ms), Long.MIN_VALUE if unknown
 * @param resultsWatermark how far results are final (see the pipeline's finality), Long.MIN_VALUE if unknown
 * @param checkpoint the latest completed checkpoint, or null if none (yet) or unknown
 * @param latestDeadLetters the newest dead letters, newest first
 * @param latestResults the newest results as the pipeline reads them from its sink (JSON-able rows), oldest first
 */
public record Observation(
        String pipeline,
        String jobId,
        long timeMillis,
        long nanos,
        long recordsIn,
        double inPerSecond,
        List<Operator> operators,
        List<Sink> sinks,
        List<PartitionLag> lag,
        long watermark,
        long resultsWatermark,
        Checkpoint checkpoint,
        List<DeadLetter> latestDeadLetters,
        List<Map<String, Object>> latestResults) {

    /** The parts of a reading; a reading without a part leaves it unknown, which saves its cost. */
    public enum Part {
        /** Records in (sources) and per sink what it holds or has written. */
        FLOW,
        /** Records in and out of every vertex. */
        OPERATORS,
        /** Consumer lag per input partition. */
        LAG,
        /** The results writer's watermark and how far results are final. */
        WATERMARK,
        /** The latest checkpoint. */
        CHECKPOINT,
        /** The newest records of the dead-letter topic. */
        DEAD_LETTERS,
        /** The newest results, read from the results sink. */
        RESULTS
    }

    /** One vertex of the job: records its first operator read and its last operator emitted, summed over subtasks. */
    public record Operator(String name, int parallelism, long recordsIn, long recordsOut, double inPerSecond,
            double outPerSecond) {}

    /**
     * One sink: what it holds (rows of a table, documents, committed warehouse rows) or what its writer has sent
     * (topics, Redis), and for a fan-out sink what its feed has sent it ({@code fed}, -1 otherwise).
     */
    public record Sink(String name, SinkRole role, long count, double perSecond, long fed) {

        /** What the feed has sent that the sink does not hold yet, or -1 if unknown or not a fan-out sink. */
        public long backlog() {
            return fed < 0 || count < 0 ? -1 : Math.max(0, fed - count);
        }
    }

    /** The consumer group's position in one input partition; {@code committed} is -1 before the first commit. */
    public record PartitionLag(String topic, int partition, long committed, long end) {

        /** Records appended and not committed by the group (all of them before its first commit). */
        public long lag() {
            return Math.max(0, end - Math.max(0, committed));
        }
    }

    /**
     * The latest completed checkpoint: its id, end-to-end duration, size of the state it wrote (the incremental
     * size where Flink reports one), completion time, and the job's counts of completed and failed checkpoints.
     */
    public record Checkpoint(long id, long durationMillis, long sizeBytes, long completedAt, long completed,
            long failed) {}

    /** One dead letter: where the record came from, why it was rejected, when, and its value as text (if UTF-8). */
    public record DeadLetter(String origin, String reason, String detectedAt, String value) {}

    /** The sink named {@code name}, if the reading has it. */
    public Optional<Sink> sink(String name) {
        return sinks.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The count of a sink, -1 if unknown. */
    public long count(String name) {
        return sink(name).map(Sink::count).orElse(-1L);
    }

    /** The first sink of a role, if any. */
    public Optional<Sink> sink(SinkRole role) {
        return sinks.stream().filter(s -> s.role() == role).findFirst();
    }

    /** Records in the dead-letter topic (as its writer sent them), -1 if unknown. */
    public long deadLetters() {
        return sink(SinkRole.DEAD_LETTERS).map(Sink::count).orElse(-1L);
    }

    /** Records too late for their window, -1 if unknown. */
    public long late() {
        return sink(SinkRole.LATE).map(Sink::count).orElse(-1L);
    }

    /** The group's lag over all input partitions, -1 if unknown. */
    public long totalLag() {
        return lag.isEmpty() ? -1 : lag.stream().mapToLong(PartitionLag::lag).sum();
    }

    /** Wall clock minus the results writer's watermark, -1 if unknown. */
    public long watermarkDelayMillis() {
        return watermark == Long.MIN_VALUE || watermark <= 0 ? -1 : Math.max(0, timeMillis - watermark);
    }
}
