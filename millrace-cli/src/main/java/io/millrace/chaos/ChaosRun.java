package io.millrace.chaos;

import io.millrace.gen.LatestEventTime;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.Service;
import io.millrace.stack.CheckpointStore;
import io.millrace.pipeline.SinkSpec;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.MillraceProcess;
import io.millrace.stack.Ports;
import io.millrace.stack.StackLauncher;
import io.millrace.verify.VerifyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code millrace chaos PIPELINE}: the local stack, the generator and the pipeline run as separate
 * processes; the pipeline is killed with SIGKILL at random moments (and restarted from its latest
 * checkpoint each time), PostgreSQL and Kafka are stopped and restarted once each if asked; at the end
 * {@code verify} compares every sink with the input.
 */
public final class ChaosRun {

    /** What to do to the pipeline. */
    public record Options(int kills, Duration duration, double rate, boolean restartPostgres, boolean restartKafka,
            boolean restartRedis, boolean restartSearch, Duration downtime, long seed, double outOfOrderFraction, double lateFraction, double badFraction) {}

    /**
     * One fault and when a sink committed its first row after it ({@code recoveredAt}, -1 if never); for an
     * outage only rows written once the service was back ({@code notBefore}) count.
     */
    public record Fault(String what, long at, long notBefore, long recoveredAt) {

        public double recoverySeconds() {
            return recoveredAt < 0 ? Double.NaN : (recoveredAt - at) / 1000.0;
        }
    }

    /** The outcome. */
    public record Report(List<Fault> faults, VerifyResult verify, Duration elapsed) {

        public boolean passed() {
            return verify.exitCode() == 0 && faults.stream().allMatch(f -> f.recoveredAt() >= 0);
        }
    }

    private final MillraceHome home;
    private final ChaosTarget target;
    private final Options options;
    private final PrintWriter out;
    private final int kafkaPort = Ports.findFree();
    private final int controllerPort = Ports.findFree();
    private final int postgresPort = Ports.findFree();
    private final int redisPort = Ports.findFree();
    private final int searchPort = Ports.findFree();
    private final int webPort = Ports.findFree();
    private final List<Process> children = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private long started;
    private int runs;
    private int restarts;

    public ChaosRun(MillraceHome home, ChaosTarget target, Options options, PrintWriter out) {
        this.home = home;
        this.target = target;
        this.options = options;
        this.out = out;
    }

    public Report run() throws Exception {
        deleteRecursively(home.root());
        Thread cleanup = new Thread(this::stopAll, "millrace-chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return execute();
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private Report execute() throws Exception {
        started = System.currentTimeMillis();
        // Every service in its own process, so each can be stopped alone; PostgreSQL also for a pipeline that
        // does not write to it (the stack always has it).
        Process kafka = startKafka();
        Process postgres = startPostgres();
        Process redis = target.services().contains(Service.REDIS) ? startRedis() : null;
        Process search = target.services().contains(Service.SEARCH) ? startSearch() : null;
        if (target.services().contains(Service.CAPTURE)) {
            startCapture();
        }
        Pipeline subject = target.configure("127.0.0.1:" + kafkaPort, "jdbc:postgresql://127.0.0.1:" + postgresPort
                + "/postgres", redisPort, "http://127.0.0.1:" + searchPort, home.warehouse());
        Process pipeline = startPipeline();
        awaitPipelineRunning();

        List<String> gen = new ArrayList<>(List.of("gen"));
        gen.addAll(target.generatorArguments());
        gen.addAll(List.of("--rate", fmt(options.rate()), "--duration",
                options.duration().toSeconds() + "s", "--seed", Long.toString(options.seed()), "--out-of-order-fraction",
                fmt(options.outOfOrderFraction()), "--late-fraction", fmt(options.lateFraction()), "--bad-fraction",
                fmt(options.badFraction()), "--close"));
        Process generator = MillraceProcess.start(home, "gen", gen);
        children.add(generator);
        long genStart = System.currentTimeMillis();
        log("generator started: %,.0f records/s for %d s", options.rate(), options.duration().toSeconds());

        List<ScheduledFault> schedule = schedule(genStart);
        long previousEnd = 0;
        for (ScheduledFault planned : schedule) {
            // A fault that fell due while a slow restart was still going keeps its distance from it, so kills
            // behind an outage do not all land in the same second on a pipeline that has not even started.
            sleepUntil(Math.max(planned.at(), previousEnd + 4000), subject);
            long at = System.currentTimeMillis();
            switch (planned.kind()) {
                case "kill" -> {
                    long pid = pipeline.pid();
                    pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    log("kill -9 pipeline (pid %d); restarting it", pid);
                    pipeline = startPipeline();
                    faults.add(new Fault("kill -9 #" + (faults.stream().filter(f -> f.what().startsWith("kill")).count() + 1),
                            at, at, -1));
                }
                case "postgres" -> {
                    log("stopping PostgreSQL for %d s", options.downtime().toSeconds());
                    stop(postgres);
                    Thread.sleep(options.downtime().toMillis());
                    postgres = startPostgres();
                    log("PostgreSQL is back");
                    faults.add(new Fault("PostgreSQL restart", at, System.currentTimeMillis(), -1));
                }
                case "redis" -> {
                    log("stopping Redis for %d s", options.downtime().toSeconds());
                    stop(redis);
                    Thread.sleep(options.downtime().toMillis());
                    redis = startRedis();
                    log("Redis is back");
                    faults.add(new Fault("Redis restart", at, System.currentTimeMillis(), -1));
                }
                case "search" -> {
                    log("stopping OpenSearch for %d s", options.downtime().toSeconds());
                    stop(search);
                    Thread.sleep(options.downtime().toMillis());
                    search = startSearch();
                    log("OpenSearch is back");
                    faults.add(new Fault("OpenSearch restart", at, System.currentTimeMillis(), -1));
                }
                default -> {
                    log("stopping Kafka for %d s", options.downtime().toSeconds());
                    stop(kafka);
                    Thread.sleep(options.downtime().toMillis());
                    kafka = startKafka();
                    log("Kafka is back");
                    faults.add(new Fault("Kafka restart", at, System.currentTimeMillis(), -1));
                }
            }
            if (!pipeline.isAlive()) {
                log("the pipeline process exited (%d); restarting it", pipeline.exitValue());
                pipeline = startPipeline();
            }
            previousEnd = System.currentTimeMillis();
        }
        while (generator.isAlive()) {
            awaitRecoveries(subject, 1000);
            if (!pipeline.isAlive()) {
                log("the pipeline process exited (%d); restarting it", pipeline.exitValue());
                pipeline = startPipeline();
            }
        }
        if (generator.exitValue() != 0) {
            throw new IllegalStateException("the generator failed:\n" + MillraceProcess.tail(home, "gen", 15));
        }
        log("generator done: %s", lastLine("gen"));
        awaitDrained(subject, System.currentTimeMillis());
        stop(pipeline);
        awaitRecoveries(subject, 0);

        log("verifying every sink against the input...");
        out.println();
        VerifyResult result = target.verify(subject, Duration.ofSeconds(60), out);
        stopAll();
        return new Report(List.copyOf(faults), result, Duration.ofMillis(System.currentTimeMillis() - started));
    }

    private record ScheduledFault(long at, String kind) {}

    /** Kills at random moments of the generator's run, at least 4 s apart; outages at a third and two thirds. */
    private List<ScheduledFault> schedule(long genStart) {
        Random random = new Random(options.seed());
        long span = options.duration().toMillis();
        List<ScheduledFault> planned = new ArrayList<>();
        if (options.restartPostgres()) {
            planned.add(new ScheduledFault(genStart + span / 3, "postgres"));
        }
        if (options.restartKafka()) {
            planned.add(new ScheduledFault(genStart + 2 * span / 3, "kafka"));
        }
        if (options.restartRedis()) {
            planned.add(new ScheduledFault(genStart + span / 2, "redis"));
        }
        if (options.restartSearch()) {
            // Before the middle, so that a node which takes its time to start is back well before the end.
            planned.add(new ScheduledFault(genStart + span / 6, "search"));
        }
        // A kill keeps 4 s from any other fault; an outage occupies its downtime plus a restart.
        long outage = options.downtime().toMillis() + 8000;
        int attempts = 0;
        while (planned.stream().filter(p -> p.kind().equals("kill")).count() < options.kills() && attempts++ < 100_000) {
            long at = genStart + (long) (span * (0.05 + 0.9 * random.nextDouble()));
            boolean clear = planned.stream().allMatch(p -> p.kind().equals("kill")
                    ? Math.abs(p.at() - at) >= 4000
                    : at < p.at() - 4000 || at > p.at() + outage);
            if (clear) {
                planned.add(new ScheduledFault(at, "kill"));
            }
        }
        planned.sort(Comparator.comparingLong(ScheduledFault::at));
        return planned;
    }

    private void sleepUntil(long at, Pipeline subject) throws InterruptedException {
        while (System.currentTimeMillis() < at) {
            awaitRecoveries(subject, Math.min(250, at - System.currentTimeMillis()));
        }
    }

    /** Marks faults recovered once a sink has committed a write that started after them. */
    private void awaitRecoveries(Pipeline subject, long sleepMillis) throws InterruptedException {
        long lastWrite = target.lastCommittedWrite(subject);
        if (faults.stream().anyMatch(f -> f.recoveredAt() < 0)) {
            for (int i = 0; i < faults.size(); i++) {
                Fault f = faults.get(i);
                if (f.recoveredAt() < 0 && lastWrite > f.notBefore()) {
                    faults.set(i, new Fault(f.what(), f.at(), f.notBefore(), lastWrite));
                    log("%s: first new row %.1f s after", f.what(), (lastWrite - f.at()) / 1000.0);
                }
            }
        }
        if (sleepMillis > 0) {
            Thread.sleep(sleepMillis);
        }
    }

    /** The first pipeline is up (its job RUNNING) before data flows, so the first kill meets a running job. */
    private void awaitPipelineRunning() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/jobs")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"RUNNING\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the pipeline did not start within 240 s:\n" + MillraceProcess.tail(home, "run-1", 15));
    }

    /** Until all input is committed by a checkpoint and the results are final past the closing events. */
    private void awaitDrained(Pipeline subject, long generatorDoneAt) throws Exception {
        OptionalLong closing = LatestEventTime.latestEventTime(subject.config().kafka(), subject.mainTopic(), subject::eventTime);
        // Closing events pass the last windows' end; a pipeline without them (its clock is commit time) waits
        // for its results' watermark to reach what finalises the newest event. A change capture's heartbeats can
        // fill the topic's tail so that no event is found there: on a commit-time clock, no event is newer than
        // the generator's end.
        long watermark;
        if (subject.closingOffset().isZero()) {
            watermark = subject.drainTarget(closing.isPresent() ? closing.getAsLong() : generatorDoneAt);
        } else {
            watermark = closing.isEmpty() ? Long.MAX_VALUE
                    : closing.getAsLong() - subject.config().common().outOfOrderness().toMillis() - 1;
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        log("waiting for the pipeline to process everything...");
        while (System.nanoTime() < deadline) {
            if (target.drained(subject, watermark)) {
                awaitCommitsOnCheckpoint(subject);
                return;
            }
            awaitRecoveries(subject, 1000);
        }
        log("the pipeline did not drain within 10 minutes (%s); verifying what is there", target.lastDrainReading());
    }

    /**
     * A sink that commits when a checkpoint completes (a warehouse table) holds everything the results' progress
     * covers only after the next checkpoint: two completed checkpoints after the drain, since one may have begun
     * before it.
     */
    private void awaitCommitsOnCheckpoint(Pipeline subject) throws InterruptedException {
        if (subject.sinks(SinkSpec.WarehouseTable.class).isEmpty()) {
            return;
        }
        CheckpointStore store = new CheckpointStore(home.checkpoints(subject.name()));
        long drainedAt = System.currentTimeMillis();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (store.all().stream().filter(c -> c.completedAt() > drainedAt).count() < 2) {
            if (System.nanoTime() > deadline) {
                log("no two checkpoints completed within 2 minutes of the drain; verifying what is there");
                return;
            }
            Thread.sleep(500);
        }
    }

    private Process startKafka() throws Exception {
        Process p = MillraceProcess.start(home, "kafka-" + (++restarts), List.of("up", "--only", "kafka", "--kafka-port",
                Integer.toString(kafkaPort), "--kafka-controller-port", Integer.toString(controllerPort)));
        children.add(p);
        StackLauncher.awaitServices(home, p, "kafka-" + restarts, Set.of(Service.KAFKA), Duration.ofSeconds(120));
        return p;
    }

    private Process startPostgres() throws Exception {
        Process p = MillraceProcess.start(home, "postgres-" + (++restarts), List.of("up", "--only", "postgres",
                "--postgres-port", Integer.toString(postgresPort)));
        children.add(p);
        StackLauncher.awaitServices(home, p, "postgres-" + restarts, Set.of(Service.POSTGRES), Duration.ofSeconds(120));
        return p;
    }

    private Process startRedis() throws Exception {
        Process p = MillraceProcess.start(home, "redis-" + (++restarts), List.of("up", "--only", "redis",
                "--redis-port", Integer.toString(redisPort)));
        children.add(p);
        StackLauncher.awaitServices(home, p, "redis-" + restarts, Set.of(Service.REDIS), Duration.ofSeconds(120));
        return p;
    }

    private Process startSearch() throws Exception {
        Process p = MillraceProcess.start(home, "search-" + (++restarts), List.of("up", "--only", "search",
                "--search-port", Integer.toString(searchPort)));
        children.add(p);
        StackLauncher.awaitServices(home, p, "search-" + restarts, Set.of(Service.SEARCH), Duration.ofSeconds(180));
        return p;
    }

    /** The change capture, in its own process: it rides out the restarts of Kafka and PostgreSQL by itself. */
    private Process startCapture() throws Exception {
        Process p = MillraceProcess.start(home, "capture", List.of("up", "--only", "capture"));
        children.add(p);
        StackLauncher.awaitServices(home, p, "capture", Set.of(Service.CAPTURE), Duration.ofSeconds(180));
        return p;
    }

    private Process startPipeline() throws IOException {
        List<String> args = new ArrayList<>(List.of("run", target.pipeline(), "--web-port", Integer.toString(webPort)));
        args.addAll(target.runArguments());
        Process p = MillraceProcess.start(home, "run-" + (++runs), args);
        children.add(p);
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void stopAll() {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : children) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String lastLine(String log) {
        String tail = MillraceProcess.tail(home, log, 3);
        return Stream.of(tail.split("\n")).filter(l -> l.startsWith("sent ")).findFirst().orElse(tail);
    }

    private void log(String format, Object... args) {
        long t = (System.currentTimeMillis() - started) / 1000;
        out.printf("[%02d:%02d] %s%n", t / 60, t % 60, String.format(format, args));
        out.flush();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
