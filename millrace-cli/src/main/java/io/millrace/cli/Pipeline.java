package io.millrace.cli;

import io.millrace.config.ConfigKey;
import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.StreamGeneratorOptions;
import io.millrace.source.TopicSpec;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What the CLI needs to know to run, feed, watch and verify one pipeline. */
abstract class Pipeline {

    abstract String name();

    abstract List<ConfigKey<?>> keys();

    abstract PipelineConfig config(Settings settings);

    abstract String jobName();

    abstract List<TopicSpec> topics(PipelineConfig config);

    abstract void attach(StreamExecutionEnvironment env, PipelineConfig config);

    abstract VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception;

    /** What the job writes, for the start-up summary. */
    abstract String describeOutputs(PipelineConfig config);

    /** True if the pipeline writes to PostgreSQL (and needs it to run). */
    boolean usesPostgres() {
        return false;
    }

    /** PostgreSQL tables it writes (dropped by reset). */
    List<String> tables() {
        return List.of();
    }

    /** The name of its generator ({@code gen NAME}). */
    abstract String generatorName();

    /** Topic the generator writes its main records to. */
    abstract String mainTopic(PipelineConfig config);

    /** Topic of reference records (market's info), or null. */
    String referenceTopic(PipelineConfig config) {
        return null;
    }

    /** A generator with the usual shape of input for demos, benchmarks and chaos runs. */
    abstract EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options);

    /** How far past the newest event the closing events go, so every window before them closes. */
    abstract Duration closingOffset(PipelineConfig config);

    /** The allowed lateness plus the window, for generating late records that are surely late. */
    abstract Duration lateBy(PipelineConfig config);

    /**
     * How far the pipeline's results are final (a watermark), or Long.MIN_VALUE if unknown yet: market reads
     * its sinks' progress rows, the Kafka pipelines their window operator's watermark.
     */
    abstract long resultsWatermark(PipelineConfig config, FlinkRest rest, String jobId);

    /** The event time of one main-topic record, or Long.MIN_VALUE if it has none (invalid). */
    abstract long eventTime(PipelineConfig config, byte[] value);

    /** The results watermark at which every result up to an event at {@code maxEventTime} is final. */
    abstract long drainTarget(PipelineConfig config, long maxEventTime);
}
