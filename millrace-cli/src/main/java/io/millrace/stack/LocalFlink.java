package io.millrace.stack;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a job on an in-process Flink MiniCluster with the web UI on 127.0.0.1, resuming from the newest
 * retained checkpoint unless asked to start fresh.
 */
public final class LocalFlink {

    /** A submitted local job. */
    public record LocalJob(JobClient client, String webUrl, Optional<CheckpointStore.Checkpoint> restoredFrom) {}

    private LocalFlink() {}

    /**
     * @param attach adds the job's sources, operators and sinks; checkpointing is configured by the caller
     *     through {@code attach} (e.g. {@link io.millrace.job.JobSetup})
     */
    public static LocalJob start(String jobName, int parallelism, int webPort, CheckpointStore checkpoints,
            boolean fresh, Consumer<StreamExecutionEnvironment> attach) throws Exception {
        Ports.requireFree("The Flink web UI", webPort, "--web-port");
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        // The status line reads record counts over REST; the default refresh (10 s) makes rates jumpy.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        Optional<CheckpointStore.Checkpoint> restore = fresh ? Optional.empty() : checkpoints.latest();
        if (fresh) {
            checkpoints.deleteAll();
        } else {
            checkpoints.pruneOlderRuns(restore);
        }
        restore.ifPresent(c -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, c.directory().toUri().toString());
            // The new run owns the checkpoint and deletes it once its own checkpoints supersede it.
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(parallelism);
        attach.accept(env);
        JobClient client = env.executeAsync(jobName);
        return new LocalJob(client, "http://127.0.0.1:" + webPort, restore);
    }
}
