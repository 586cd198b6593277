package io.millrace.job;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigKey;
import io.millrace.config.StateBackend;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Checkpointing, restart and type-safety settings every Millrace job uses. */
public final class JobSetup {

    private JobSetup() {}

    /** Parallelism, checkpoints (exactly once, retained on cancel), state backend and restarts of one job. */
    public static void configure(StreamExecutionEnvironment env, CommonSettings settings) {
        int parallelism = settings.parallelism();
        Duration checkpointInterval = settings.checkpointInterval();
        String checkpointDir = settings.checkpointDir();
        Configuration conf = new Configuration();
        // Every event type has a real serializer; a silent Kryo fallback would be slow and fragile.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(30));
        conf.set(StateBackendOptions.STATE_BACKEND, ConfigKey.word(settings.stateBackend()));
        if (settings.stateBackend() == StateBackend.ROCKSDB) {
            // Only the files written since the last checkpoint are persisted: cost follows change, not size.
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        if (checkpointDir != null && !checkpointDir.isBlank()) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        env.configure(conf);
        env.setParallelism(parallelism);
        // Events are immutable records: chained operators may hand them on without a defensive copy each.
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().setExternalizedCheckpointRetention(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(Math.min(1000, checkpointInterval.toMillis() / 2));
        env.getCheckpointConfig().setTolerableCheckpointFailureNumber(3);
    }
}
