package io.millrace.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.stack.Ports;
import io.millrace.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Flink standalone session cluster as separate processes, a JobManager and TaskManagers started from
 * Flink's own jars only (what a Flink distribution's {@code lib/} holds, none of Millrace's classes or
 * dependencies), with jobs submitted as a jar over the REST API, as {@code flink run} or the web UI does.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    /** Maven repository paths of Flink and of the libraries a Flink distribution ships with it. */
    private static final List<String> DISTRIBUTION_GROUPS = List.of("org/apache/flink/", "org/apache/commons/",
            "commons-cli/", "commons-io/", "commons-codec/", "commons-collections/", "com/esotericsoftware/",
            "org/objenesis/", "org/slf4j/", "org/apache/logging/log4j/", "org/snakeyaml/", "org/lz4/", "at/yawk/lz4/",
            "org/xerial/snappy/", "org/tukaani/", "com/github/luben/", "com/ververica/", "org/javassist/",
            "com/google/code/findbugs/", "tools/profiler/", "org/hdrhistogram/");
    /** Flink artifacts that are connectors or test tools, not part of the distribution. */
    private static final List<String> NOT_DISTRIBUTION = List.of("flink-connector-kafka", "flink-test-utils", "-tests.jar");

    private static final List<String> JAVA17_OPENS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    private final List<String> taskManagerIds = new ArrayList<>();
    /** Every TaskManager gets a new number, hence its own resource id and log file. */
    private int taskManagersStarted;

    private StandaloneFlinkCluster(Path dir, String classpath, int restPort) {
        this.dir = dir;
        this.classpath = classpath;
        this.restPort = restPort;
    }

    /** Starts a JobManager and one TaskManager with {@code slots} slots; returns once the TaskManager registered. */
    public static StandaloneFlinkCluster start(Path dir, int slots) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        int restPort = Ports.findFree();
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + Ports.findFree(),
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 1200m",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: " + slots,
                // Started without Flink's shell scripts, so the memory layout the scripts would compute is given here.
                "taskmanager.cpu.cores: " + slots,
                "taskmanager.memory.framework.heap.size: 128m",
                "taskmanager.memory.task.heap.size: 768m",
                "taskmanager.memory.framework.off-heap.size: 128m",
                "taskmanager.memory.task.off-heap.size: 0m",
                "taskmanager.memory.managed.size: 128m",
                "taskmanager.memory.network.min: 64m",
                "taskmanager.memory.network.max: 64m",
                "taskmanager.memory.jvm-metaspace.size: 256m",
                "taskmanager.memory.jvm-overhead.min: 192m",
                "taskmanager.memory.jvm-overhead.max: 192m",
                // A killed TaskManager is noticed in seconds, not after the default 50 s.
                "heartbeat.interval: 2000",
                "heartbeat.timeout: 10000",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                ""));
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = File",
                "appender.file.name = File",
                "appender.file.type = File",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                ""));
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(dir, distributionClasspath(), restPort);
        // Child JVMs outlive a test JVM that is killed; do not leave them holding ports and memory.
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-standalone-flink"));
        try {
            cluster.jobManager = cluster.launch("jobmanager", List.of("-Xmx768m"),
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
            cluster.startTaskManager();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** The test class path reduced to Flink and its own libraries. */
    static String distributionClasspath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Predicate<String> inDistribution = entry -> {
            String path = entry.replace(File.separatorChar, '/');
            int repo = path.indexOf("/repository/");
            if (repo < 0 || !path.endsWith(".jar")) {
                return false;
            }
            String relative = path.substring(repo + "/repository/".length());
            return DISTRIBUTION_GROUPS.stream().anyMatch(relative::startsWith)
                    && NOT_DISTRIBUTION.stream().noneMatch(relative::contains);
        };
        String classpath = Arrays.stream(full.split(File.pathSeparator)).filter(inDistribution)
                .collect(Collectors.joining(File.pathSeparator));
        if (!classpath.contains("flink-runtime-")) {
            throw new IllegalStateException("Flink's runtime is not on the test class path: " + full);
        }
        return classpath;
    }

    /**
     * Starts one more TaskManager (e.g. a replacement for a killed one) under a resource id never used before,
     * and waits until the JobManager lists that id. Waiting for the id, not for a count: right after a kill
     * the JobManager may still list the dead TaskManager, or may drop it just as the new one registers.
     *
     * @return the new TaskManager's resource id
     */
    public String startTaskManager() throws Exception {
        String id = "millrace-tm-" + (++taskManagersStarted);
        // Heap = framework + task heap; direct = framework + task off-heap + network (see the config above).
        taskManagerIds.add(id);
        taskManagers.add(launch(id,
                List.of("-Xmx896m", "-Xms896m", "-XX:MaxDirectMemorySize=192m", "-XX:MaxMetaspaceSize=256m"),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "-Dtaskmanager.resource-id=" + id));
        awaitTaskManager(id);
        return id;
    }

    /** Until the JobManager lists a TaskManager with this resource id. */
    public void awaitTaskManager(String id) throws Exception {
        await("TaskManager " + id + " to register", Duration.ofSeconds(180), this::registeredTaskManagerIds,
                ids -> ids.contains(id));
    }

    /** SIGKILL of the most recently started TaskManager, as a machine or container loss would do; returns its id. */
    public String killTaskManager() throws InterruptedException {
        Process tm = taskManagers.remove(taskManagers.size() - 1);
        tm.destroyForcibly();
        if (!tm.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("a SIGKILLed TaskManager did not exit within 60 s");
        }
        return taskManagerIds.remove(taskManagerIds.size() - 1);
    }

    /** Uploads {@code jar} and runs {@code entryClass} with {@code args}; returns the job id. */
    public String submit(Path jar, String entryClass, List<String> args) throws Exception {
        String boundary = "millrace-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode uploaded = call(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String filename = uploaded.path("filename").asText();
        String jarId = filename.substring(filename.lastIndexOf('/') + 1);
        String run = JSON.writeValueAsString(Map.of("entryClass", entryClass, "programArgsList", args));
        JsonNode started = call(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(run)));
        return started.path("jobid").asText();
    }

    public String jobState(String jobId) throws Exception {
        return call(HttpRequest.newBuilder(uri("/jobs/" + jobId)).GET()).path("state").asText();
    }

    public long completedCheckpoints(String jobId) throws Exception {
        return call(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/checkpoints")).GET())
                .path("counts").path("completed").asLong();
    }

    /** How often the job restarted (from the exception history: one entry per failure). */
    public int failures(String jobId) throws Exception {
        return call(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/exceptions")).GET())
                .path("exceptionHistory").path("entries").size();
    }

    public void cancel(String jobId) throws Exception {
        call(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    public void awaitCheckpoints(String jobId, long atLeast, Duration timeout) throws Exception {
        await(atLeast + " completed checkpoints of job " + jobId, timeout, () -> completedCheckpoints(jobId),
                completed -> completed >= atLeast);
    }

    /** The resource ids of the TaskManagers the JobManager lists now (a dead one until its heartbeat times out). */
    public List<String> registeredTaskManagerIds() throws Exception {
        List<String> ids = new ArrayList<>();
        call(HttpRequest.newBuilder(uri("/taskmanagers")).GET()).path("taskmanagers")
                .forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    /** The last lines of every process log, for a failure message. */
    public String logTails() {
        StringBuilder out = new StringBuilder();
        try (var logs = Files.list(dir.resolve("log"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("==> ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    @Override
    public void close() {
        taskManagers.forEach(Process::destroyForcibly);
        taskManagers.clear();
        if (jobManager != null) {
            jobManager.destroy();
            try {
                if (!jobManager.waitFor(20, TimeUnit.SECONDS)) {
                    jobManager.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                jobManager.destroyForcibly();
            }
        }
    }

    private Process launch(String name, List<String> memory, String mainClass, String... dynamicProperties)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(memory);
        command.addAll(JAVA17_OPENS);
        command.add("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + dir.resolve("conf").resolve("log4j.properties").toUri());
        command.addAll(List.of("-cp", classpath, mainClass, "--configDir", dir.resolve("conf").toString()));
        command.addAll(List.of(dynamicProperties));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".out").toFile()).start();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Flink REST " + response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Polls every 500 ms; fails early if the JobManager dies, and shows every process's log tail on failure. */
    private <T> void await(String what, Duration timeout, Await.Observation<T> observation, Predicate<T> done)
            throws InterruptedException {
        Await.until(what, timeout, Duration.ofMillis(500), observation, done,
                () -> jobManager != null && !jobManager.isAlive() ? "the JobManager exited" : null, this::logTails);
    }
}
