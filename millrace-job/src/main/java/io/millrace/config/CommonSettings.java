package io.millrace.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The settings every pipeline has: where Kafka is, parallelism, checkpoints and state, its consumer group,
 * transactional ids and dead-letter topic, its watermark, its window and lateness, and the validity bound of
 * event times. Each pipeline's typed config embeds one; only some defaults differ between pipelines.
 */
public record CommonSettings(
        String pipeline,
        KafkaConnection kafka,
        int parallelism,
        Duration checkpointInterval,
        String checkpointDir,
        StartingOffsets startingOffsets,
        StateBackend stateBackend,
        String groupId,
        String transactionalIdPrefix,
        String dlqTopic,
        Duration outOfOrderness,
        Duration idleTimeout,
        Duration maxDrift,
        Duration windowSize,
        Duration allowedLateness,
        Duration maxFuture,
        double deadLetterWarning) implements Serializable {

    public static final ConfigKey<String> KAFKA_BOOTSTRAP_SERVERS = ConfigKey.string("kafka.bootstrap-servers",
            "127.0.0.1:19092", "Kafka bootstrap servers");
    public static final ConfigKey<Integer> PARALLELISM = ConfigKey.integer("parallelism", 2,
            "parallelism of every operator");
    public static final ConfigKey<Duration> CHECKPOINT_INTERVAL = ConfigKey.duration("checkpoint.interval", "5s",
            "time between checkpoints; sinks flush and Kafka transactions commit on each");
    public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.string("checkpoint.dir", "",
            "checkpoint directory URI (e.g. file:///data/checkpoints); empty: the cluster's setting");
    public static final ConfigKey<StartingOffsets> STARTING_OFFSETS = ConfigKey.choice("source.starting-offsets",
            StartingOffsets.COMMITTED, "where a job without a checkpoint starts reading: the group's committed offsets "
                    + "(earliest if none), the earliest, or the latest offsets; a restored checkpoint always wins");
    public static final ConfigKey<StateBackend> STATE_BACKEND = ConfigKey.choice("state.backend", StateBackend.HASHMAP,
            "where operator state lives: hashmap (on the heap, full checkpoints) or rocksdb (on disk, incremental "
                    + "checkpoints: for large state, e.g. deduplication at high rates)");
    public static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.duration("watermark.idle-timeout", "10s",
            "an input partition without records this long stops holding back the watermark");
    public static final ConfigKey<Duration> MAX_DRIFT = ConfigKey.duration("watermark.max-drift", "1min",
            "input partitions ahead of the slowest by more than this much event time are paused (watermark "
                    + "alignment): bounds the records held in state while catching up on a backlog; 0 disables");
    public static final ConfigKey<Duration> MAX_FUTURE = ConfigKey.duration("validation.max-future", "1h",
            "records with event time further ahead of the wall clock go to the DLQ");

    public static final ConfigKey<Double> DEAD_LETTER_WARNING = ConfigKey.decimal("monitor.dead-letter-warning", 0.05,
            "run, demo and status warn when more than this share of the last minute's input was dead-lettered");

    /** The key of the consumer group (its default differs per pipeline). */
    public static final String GROUP_ID = "source.group-id";

    /** The defaults that differ between pipelines. */
    public record Defaults(String pipeline, String outOfOrderness, String windowSize, String allowedLateness) {}

    /**
     * The settings of one job of a pipeline made of several: its own consumer group and transactional ids
     * (suffixed with {@code job}, so that two jobs reading the same topic or writing Kafka never share them)
     * unless {@code ownGroup} is false, and its checkpoints in a subdirectory {@code job} of checkpoint.dir.
     */
    public CommonSettings forJob(String job, boolean ownGroup) {
        String dir = checkpointDir == null || checkpointDir.isBlank() ? checkpointDir
                : checkpointDir.replaceAll("/+$", "") + "/" + job;
        return new CommonSettings(pipeline, kafka, parallelism, checkpointInterval, dir, startingOffsets, stateBackend,
                ownGroup ? groupId + "-" + job : groupId, ownGroup ? transactionalIdPrefix + "-" + job : transactionalIdPrefix,
                dlqTopic, outOfOrderness, idleTimeout, maxDrift, windowSize, allowedLateness, maxFuture, deadLetterWarning);
    }

    /** A pipeline's declaration of the common keys, with its defaults. */
    public static final class Keys {
        private final String pipeline;
        public final ConfigKey<String> groupId;
        public final ConfigKey<String> transactionalIdPrefix;
        public final ConfigKey<String> dlqTopic;
        public final ConfigKey<Duration> outOfOrderness;
        public final ConfigKey<Duration> windowSize;
        public final ConfigKey<Duration> allowedLateness;

        private Keys(ConfigKeys set, Defaults d) {
            pipeline = d.pipeline();
            KafkaClientSettings.declare(set);
            set.add(PARALLELISM);
            set.add(CHECKPOINT_INTERVAL);
            set.add(CHECKPOINT_DIR);
            set.add(STARTING_OFFSETS);
            set.add(STATE_BACKEND);
            groupId = set.add(ConfigKey.string(GROUP_ID, "millrace-" + pipeline,
                    "Kafka consumer group; offsets are committed to it on every completed checkpoint"));
            // A restarted job must keep the prefix, to abort what its previous incarnation left open.
            transactionalIdPrefix = set.add(ConfigKey.string("sink.transactional-id-prefix", "millrace-" + pipeline,
                    "prefix of the Kafka sinks' transactional ids; keep it across restarts, and give each copy of a "
                            + "pipeline writing to the same Kafka cluster its own"));
            dlqTopic = set.add(ConfigKey.topic("topic.dlq", pipeline + ".dlq",
                    "dead-letter topic for malformed or invalid input"));
            outOfOrderness = set.add(ConfigKey.duration("watermark.out-of-orderness", d.outOfOrderness(),
                    "bounded out-of-orderness of event time per partition"));
            set.add(IDLE_TIMEOUT);
            set.add(MAX_DRIFT);
            windowSize = set.add(ConfigKey.duration("window.size", d.windowSize(), "window size"));
            allowedLateness = set.add(ConfigKey.duration("window.allowed-lateness", d.allowedLateness(),
                    "late events within this bound update their window (its result is written again); later ones go "
                            + "to the late sink"));
            set.add(MAX_FUTURE);
            set.add(DEAD_LETTER_WARNING);
        }

        public CommonSettings read(Settings s) {
            CommonSettings settings = new CommonSettings(pipeline, KafkaClientSettings.read(s),
                    s.get(PARALLELISM), s.get(CHECKPOINT_INTERVAL), s.get(CHECKPOINT_DIR), s.get(STARTING_OFFSETS),
                    s.get(STATE_BACKEND), s.get(groupId), s.get(transactionalIdPrefix), s.get(dlqTopic),
                    s.get(outOfOrderness), s.get(IDLE_TIMEOUT), s.get(MAX_DRIFT), s.get(windowSize),
                    s.get(allowedLateness), s.get(MAX_FUTURE), s.get(DEAD_LETTER_WARNING));
            settings.validate(windowSize.name());
            return settings;
        }
    }

    /** Declares the common keys in {@code set}, with a pipeline's defaults. */
    public static Keys declare(ConfigKeys set, Defaults defaults) {
        return new Keys(set, defaults);
    }

    private void validate(String windowKey) {
        if (parallelism < 1) {
            throw new ConfigException("config key 'parallelism' must be at least 1, got " + parallelism);
        }
        if (deadLetterWarning < 0 || deadLetterWarning > 1) {
            throw new ConfigException("config key '" + DEAD_LETTER_WARNING.name() + "' is a share between 0 and 1, got "
                    + deadLetterWarning);
        }
        if (checkpointInterval.toMillis() < 100) {
            throw new ConfigException("config key 'checkpoint.interval' must be at least 100ms");
        }
        if (windowSize.toMillis() <= 0) {
            throw new ConfigException("config key '" + windowKey + "' must be positive");
        }
        // Windows are aligned the same way on every day only if their size divides a day.
        if (Duration.ofDays(1).toMillis() % windowSize.toMillis() != 0) {
            throw new ConfigException("config key '" + windowKey + "' must divide a day evenly (e.g. 3s, 1min, 1h), got "
                    + ConfigKey.formatDuration(windowSize));
        }
    }
}
