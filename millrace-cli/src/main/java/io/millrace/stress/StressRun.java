package io.millrace.stress;

import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.observe.FlinkRest;
import io.millrace.pipeline.LatencyProbe;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.SourceSpec;
import io.millrace.verify.ConsumerLag;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;

/**
 * Drives a running pipeline through stages of rising input rate with its own generator (event time = now) and
 * measures each stage: rates in and out, consumer lag, checkpoints, CPU and heap of the job, end-to-end latency.
 * Stops at the first stage the pipeline (or the generator) cannot keep up with; with {@code findMax} it adds stages
 * past the listed ones, each {@link Stage#ESCALATION} times the last, until then.
 */
public final class StressRun {

    /**
     * @param maxExtraStages how many stages {@code findMax} may add at most
     * @param sampleEvery one record in this many is followed for latency
     */
    public record Options(List<Stage> stages, Duration stageDuration, boolean findMax, int maxExtraStages,
            int sampleEvery, long seed, Duration drainWait) {}

    /** Out-of-order share and delay of the load: the generator's defaults, so the watermark bound is exercised. */
    private static final double OUT_OF_ORDER = 0.1;
    private static final Duration MAX_DELAY = Duration.ofSeconds(3);

    private final Pipeline pipeline;
    private final FlinkRest rest;
    private final String jobId;
    private final Options options;
    private final PrintWriter out;
    private final JobGauges gauges;
    private Map<TopicPartition, Long> endsAtStart;

    public StressRun(Pipeline pipeline, FlinkRest rest, String jobId, Options options, PrintWriter out) {
        this.pipeline = pipeline;
        this.rest = rest;
        this.jobId = jobId;
        this.options = options;
        this.out = out;
        this.gauges = new JobGauges(rest, jobId);
    }

    public StressReport run() throws Exception {
        String started = Instant.now().toString();
        Optional<LatencyProbe> probe = pipeline.latencyProbe();
        List<StageResult> results = new ArrayList<>();
        String latencyDefinition = null;
        try (Admin admin = pipeline.config().kafka().admin(5000);
                GeneratorOutput raw = pipeline.generatorOutput();
                LatencyTracker tracker = probe.map(p -> new LatencyTracker(p, options.sampleEvery())).orElse(null)) {
            GeneratorOutput output = tracker == null ? raw : tracker.follow(raw);
            endsAtStart = ConsumerLag.endOffsets(admin, pipeline.config().inputTopics());
            // A job just started publishes its operators' metrics after a few seconds; the first stage needs them.
            long metricsDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (recordsRead() < 0 && System.nanoTime() < metricsDeadline) {
                Thread.sleep(500);
            }
            if (tracker != null) {
                latencyDefinition = "from the Kafka timestamp of the input record (CreateTime, as the producer callback "
                        + "reports it) to the first poll (every 100 ms) that finds " + tracker.describe()
                        + "; one on-time record in " + options.sampleEvery() + " followed";
            }
            long judged = 2 * (pipeline.config().checkpointInterval().toSeconds() + 2);
            if (options.stageDuration().toSeconds() < judged) {
                out.printf("note: stages of %d s are short for checkpoints every %d s: the lag moves in steps of a "
                        + "checkpoint, so a verdict needs stages of %d s or more%n", options.stageDuration().toSeconds(),
                        pipeline.config().checkpointInterval().toSeconds(), judged);
            }
            List<Stage> stages = new ArrayList<>(options.stages());
            int extra = 0;
            for (int i = 0; i < stages.size(); i++) {
                Stage stage = stages.get(i);
                if (tracker != null) {
                    tracker.stage(i);
                }
                StageResult result = runStage(i, stage, admin, output);
                results.add(result);
                out.printf("stage %-10s target %,9.0f/s  generated %,9.0f/s  read %,9.0f/s  lag max %,d, end %,d  %s%n",
                        stage.name(), stage.rate(), result.achievedRate(), result.readRate(), result.lag().max(),
                        result.lag().end(), result.verdict());
                out.flush();
                if (!result.keptUp()) {
                    break;
                }
                if (i == stages.size() - 1 && options.findMax() && extra < options.maxExtraStages()) {
                    stages.add(stage.escalate(++extra));
                }
            }
            if (tracker != null) {
                int open = drain(tracker, output, options.stages().get(0).rate());
                if (open > 0) {
                    out.printf("latency: %,d followed records had no visible result after %d s; their stage's "
                            + "percentiles are lower bounds%n", open, options.drainWait().toSeconds());
                }
                if (tracker.failure() != null) {
                    out.println("latency probe: last error " + tracker.failure());
                }
                for (int i = 0; i < results.size(); i++) {
                    results.set(i, results.get(i).withLatency(tracker.latency(i)));
                }
            }
        }
        double best = results.stream().filter(StageResult::keptUp).mapToDouble(StageResult::targetRate).max().orElse(0);
        return new StressReport(pipeline.name(), started, cpuModel(), Runtime.getRuntime().availableProcessors(),
                options.stageDuration().toMillis() / 1000.0, options.sampleEvery(), latencyDefinition, results, best,
                conclusion(results, best));
    }

    /**
     * Waits for the followed records' results while a trickle of unfollowed input (at the first stage's rate) keeps
     * event time moving: without input the watermark stops, and the last windows (or held trades) would never close.
     * Returns how many followed records still have no visible result.
     */
    private int drain(LatencyTracker tracker, GeneratorOutput output, double rate) throws Exception {
        tracker.stage(LatencyTracker.UNFOLLOWED);
        EventGenerator generator = pipeline.generator(new GeneratorOptions(options.seed() - 1, rate,
                System.currentTimeMillis(), OUT_OF_ORDER, MAX_DELAY, 0, pipeline.lateBy(), 0),
                Settings.defaults(pipeline.definition().generatorSpec().options().all()));
        AtomicBoolean done = new AtomicBoolean();
        Thread trickle = new Thread(() -> {
            try {
                GeneratorRun.run(generator, output, rate, 0, options.drainWait(), (n, t) -> { }, done::get);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "millrace-stress-drain");
        trickle.start();
        try {
            return tracker.awaitVisible(options.drainWait().toMillis());
        } finally {
            done.set(true);
            trickle.join(10_000);
        }
    }

    private StageResult runStage(int index, Stage stage, Admin admin, GeneratorOutput output) throws Exception {
        EventGenerator generator = pipeline.generator(new GeneratorOptions(options.seed() + index, stage.rate(),
                System.currentTimeMillis(), OUT_OF_ORDER, MAX_DELAY, 0, pipeline.lateBy(), 0),
                Settings.defaults(pipeline.definition().generatorSpec().options().all()));
        long endsBefore = endOffsets(admin);
        long readBefore = recordsRead();
        Map<String, Long> sinksBefore = sinkCounts();
        double[] loadBefore = gauges.taskManagerLoad();
        List<Long> lags = new ArrayList<>();
        List<double[]> loads = new ArrayList<>();
        List<RateFit.Point> arrivals = new ArrayList<>();
        List<RateFit.Point> reads = new ArrayList<>();
        long wallStart = System.currentTimeMillis();
        long start = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "millrace-stress-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            long lag = lag(admin);
            double[] load = gauges.taskManagerLoad();
            long ends = endOffsets(admin);
            long endsAt = System.nanoTime();
            long read = recordsRead();
            long readAt = System.nanoTime();
            synchronized (lags) {
                lags.add(lag);
                loads.add(load);
                if (ends >= 0) {
                    arrivals.add(new RateFit.Point(endsAt, ends));
                }
                if (read >= 0) {
                    reads.add(new RateFit.Point(readAt, read));
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
        GeneratorRun.Stats stats;
        try {
            stats = GeneratorRun.run(generator, output, stage.rate(), 0, options.stageDuration(), (n, t) -> { },
                    () -> false);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long wallEnd = System.currentTimeMillis();
        long endsAfter = endOffsets(admin);
        long readAfter = recordsRead();
        Map<String, Double> sinkRates = new LinkedHashMap<>();
        sinkCounts().forEach((sink, n) -> {
            long before = sinksBefore.getOrDefault(sink, -1L);
            sinkRates.put(sink, n < 0 || before < 0 ? -1 : (n - before) / seconds);
        });
        double[] loadAfter = gauges.taskManagerLoad();
        long[] lagSamples;
        double heap = -1;
        synchronized (lags) {
            lagSamples = lags.stream().mapToLong(Long::longValue).toArray();
            for (double[] load : loads) {
                heap = Math.max(heap, load[1]);
            }
        }
        // CPU time over wall time on all cores: the JVM's average share of the machine during the stage.
        double cpuPercent = loadBefore[0] < 0 || loadAfter[0] < 0 ? -1
                : 100 * (loadAfter[0] - loadBefore[0]) / (seconds * 1e9 * Runtime.getRuntime().availableProcessors());
        // A window longer than a checkpoint interval, so that each holds at least one commit of offsets.
        int window = (int) pipeline.config().checkpointInterval().toSeconds() + 2;
        LagTrend lag = LagTrend.of(lagSamples, window);
        double achieved = stats.ratePerSecond();
        double arrived;
        double read;
        synchronized (lags) {
            // The first two seconds are the step from the previous stage's rate, which stale readings blur.
            arrived = RateFit.perSecond(arrivals.subList(Math.min(2, arrivals.size()), arrivals.size()));
            read = RateFit.perSecond(reads.subList(Math.min(2, reads.size()), reads.size()));
        }
        if (Double.isNaN(arrived)) {
            arrived = endsBefore < 0 || endsAfter < 0 ? -1 : (endsAfter - endsBefore) / seconds;
        }
        if (Double.isNaN(read)) {
            read = readBefore < 0 || readAfter < 0 ? -1 : (readAfter - readBefore) / seconds;
        }
        return new StageResult(stage.name(), stage.rate(), achieved, arrived, read, sinkRates, null, lag,
                gauges.checkpoints(wallStart, wallEnd), cpuPercent,
                heap < 0 ? -1 : heap / (1 << 20), loadAverage(), seconds, Verdict.decide(stage.rate(), achieved, arrived, read, lag));
    }

    /** The sum of the main input topic's end offsets, or -1 if Kafka does not answer. */
    private long endOffsets(Admin admin) {
        try {
            return ConsumerLag.endOffsets(admin, List.of(pipeline.mainTopic())).values().stream()
                    .mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Records the job's main source has read (its first source), or -1 if unknown. */
    private long recordsRead() {
        for (SourceSpec source : pipeline.sources()) {
            if (source.name().equals(pipeline.mainTopic())) {
                return rest.operatorMetric(jobId, source.metricOperator(), "numRecordsOut");
            }
        }
        return rest.operatorMetric(jobId, pipeline.sources().get(0).metricOperator(), "numRecordsOut");
    }

    /** Per sink, the records its writer has taken in, -1 where unknown. */
    private Map<String, Long> sinkCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (SinkSpec sink : pipeline.sinks()) {
            counts.put(sink.name(), rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsIn"));
        }
        return counts;
    }

    /**
     * The group's lag behind the input written since the run began, over the input partitions; -1 if Kafka does not
     * answer. Each partition counts from its committed offset, or from its end offset when the run began if that is
     * later: a job started at the latest offsets commits a partition only once it has read from it, and the group may
     * hold older offsets of an earlier run, so counting from those would add input the job never reads.
     */
    private long lag(Admin admin) {
        try {
            Map<TopicPartition, Long> ends = ConsumerLag.endOffsets(admin, pipeline.config().inputTopics());
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(pipeline.config().groupId()).partitionsToOffsetAndMetadata().get();
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long start = endsAtStart.getOrDefault(e.getKey(), 0L);
                long from = c == null ? start : Math.max(c.offset(), start);
                lag += Math.max(0, e.getValue() - from);
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The machine's 1-minute load average (runnable processes, all users), -1 if unknown. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String conclusion(List<StageResult> results, double best) {
        StageResult last = results.get(results.size() - 1);
        String highest = best > 0 ? String.format("highest sustainable rate %,.0f records/s", best)
                : "no stage was sustained";
        return switch (last.verdict()) {
            case FELL_BEHIND -> String.format("the pipeline fell behind at %,.0f records/s (stage %s); %s",
                    last.targetRate(), last.name(), highest);
            case GENERATOR_LIMITED -> String.format("the generator produced only %,.0f of %,.0f records/s (stage %s) "
                    + "and the pipeline kept up with that: the generator, not the pipeline, was the limit; %s", last.achievedRate(), last.targetRate(), last.name(), highest);
            case KEPT_UP -> String.format("the pipeline kept up with every stage; %s (a lower bound: add stages or "
                    + "--find-max)", highest);
        };
    }

    /** The CPU model as lscpu names it, from /proc/cpuinfo. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: say so below.
        }
        return System.getProperty("os.arch");
    }
}
