package io.millrace.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Runs a pipeline's jobs (one, or several side by side) on one in-process Flink MiniCluster with the web UI on
 * 127.0.0.1, each resuming from the newest retained checkpoint in its own directory unless asked to start fresh.
 * The cluster shuts down once every job has ended.
 */
public final class LocalFlink {

    /** One job to run: its name, where its checkpoints are, and what it adds to an environment. */
    public record JobSpec(String name, CheckpointStore checkpoints, Consumer<StreamExecutionEnvironment> attach) {}

    /**
     * The submitted jobs of one local cluster, in the order given.
     *
     * @param submittedNanos {@link System#nanoTime()} when the first job was submitted to the started cluster
     * @param clusterStartSeconds how long the local cluster took to start before that (a real cluster is running
     *     already)
     */
    public record LocalJob(List<JobClient> clients, List<String> names, String webUrl,
            List<Optional<CheckpointStore.Checkpoint>> restored, long submittedNanos, double clusterStartSeconds) {

        /** The first job (the only one of most pipelines). */
        public JobClient client() {
            return clients.get(0);
        }

        /** The first job's restored checkpoint. */
        public Optional<CheckpointStore.Checkpoint> restoredFrom() {
            return restored.get(0);
        }

        /** Every job's id, comma-separated, in order. */
        public String jobIds() {
            return clients.stream().map(c -> c.getJobID().toString()).collect(Collectors.joining(","));
        }

        /** Cancels every job that is still running; completes when all are cancelled. */
        public CompletableFuture<Void> cancel() {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (JobClient c : clients) {
                all.add(c.cancel().exceptionally(e -> null));
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        }

        /**
         * Cancels every job and waits until each has ended (the cluster closes once all have), so that whatever runs
         * next on this machine does not share it with a job still going down.
         */
        public void cancelAndAwait(Duration timeout) throws InterruptedException, TimeoutException {
            try {
                cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // Already ended: waited for below.
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (JobClient c : clients) {
                try {
                    c.getJobExecutionResult().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    // Cancelled: that is the end expected here.
                }
            }
        }

        /** Whether a job has ended (or its status can no longer be read because the cluster is going down). */
        public boolean anyEnded() throws InterruptedException, TimeoutException {
            for (JobClient c : clients) {
                try {
                    if (c.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                        return true;
                    }
                } catch (ExecutionException e) {
                    return true;
                }
            }
            return false;
        }

        /** Completes when the first of the jobs ends: with its result, or exceptionally as it failed. */
        public CompletableFuture<JobExecutionResult> firstEnded() {
            CompletableFuture<JobExecutionResult> first = new CompletableFuture<>();
            for (JobClient c : clients) {
                c.getJobExecutionResult().whenComplete((result, failure) -> {
                    if (failure != null) {
                        first.completeExceptionally(failure);
                    } else {
                        first.complete(result);
                    }
                });
            }
            return first;
        }
    }

    private LocalFlink() {}

    /**
     * @param attach adds the job's sources, operators and sinks; checkpointing is configured by the caller
     *     through {@code attach} (e.g. {@link io.millrace.job.JobSetup})
     */
    public static LocalJob start(String jobName, int parallelism, int webPort, CheckpointStore checkpoints,
            boolean fresh, Consumer<StreamExecutionEnvironment> attach) throws Exception {
        return start(List.of(new JobSpec(jobName, checkpoints, attach)), parallelism, webPort, fresh);
    }

    /** Starts a cluster with slots for every job at {@code parallelism} and submits the jobs, in order. */
    public static LocalJob start(List<JobSpec> jobs, int parallelism, int webPort, boolean fresh) throws Exception {
        Ports.requireFree("The Flink web UI", webPort, "--web-port");
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism * jobs.size());
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        // The status line reads record counts over REST; the default refresh (10 s) makes rates jumpy.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        List<Optional<CheckpointStore.Checkpoint>> restored = new ArrayList<>();
        for (JobSpec job : jobs) {
            Optional<CheckpointStore.Checkpoint> restore = fresh ? Optional.empty() : job.checkpoints().latest();
            if (fresh) {
                job.checkpoints().deleteAll();
            } else {
                job.checkpoints().pruneOlderRuns(restore);
            }
            restored.add(restore);
        }
        long starting = System.nanoTime();
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism * jobs.size())
                .build());
        cluster.start();
        long submitted = System.nanoTime();
        ClassLoader classLoader = LocalFlink.class.getClassLoader();
        List<JobClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < jobs.size(); i++) {
                JobSpec job = jobs.get(i);
                Configuration jobConf = new Configuration(conf);
                restored.get(i).ifPresent(c -> {
                    jobConf.set(StateRecoveryOptions.SAVEPOINT_PATH, c.directory().toUri().toString());
                    // The new run owns the checkpoint and deletes it once its own checkpoints supersede it.
                    jobConf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
                });
                StreamExecutionEnvironment env = new StreamExecutionEnvironment(jobConf);
                env.setParallelism(parallelism);
                job.attach().accept(env);
                StreamGraph graph = env.getStreamGraph();
                graph.setJobName(job.name());
                StreamGraph plan = PipelineExecutorUtils.getStreamGraph(graph, jobConf);
                JobID id = cluster.submitJob(plan).get().getJobID();
                // As Flink's own local executor does: a job whose state cannot be restored fails here, not later.
                ClientUtils.waitUntilJobInitializationFinished(() -> cluster.getJobStatus(id).get(),
                        () -> cluster.requestJobResult(id).get(), classLoader);
                clients.add(new MiniClusterJobClient(id, cluster, classLoader,
                        MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
            }
        } catch (Exception e) {
            for (JobClient c : clients) {
                c.cancel().exceptionally(x -> null);
            }
            cluster.closeAsync();
            throw e;
        }
        CompletableFuture.allOf(clients.stream().map(c -> c.getJobExecutionResult().exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).whenComplete((done, e) -> cluster.closeAsync());
        return new LocalJob(List.copyOf(clients), jobs.stream().map(JobSpec::name).toList(), "http://127.0.0.1:" + webPort,
                List.copyOf(restored), submitted, (submitted - starting) / 1e9);
    }
}
