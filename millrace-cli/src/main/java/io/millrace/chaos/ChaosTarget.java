package io.millrace.chaos;

import io.millrace.config.PipelineConfig;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** What {@link ChaosRun} needs to know about the pipeline it attacks. */
public interface ChaosTarget {

    /** The pipeline's name ({@code run NAME}). */
    String pipeline();

    /** {@code gen ...} arguments after {@code gen}: the generator's name and its pipeline-specific flags. */
    List<String> generatorArguments();

    /** Extra {@code run} arguments (e.g. {@code --kafka-output}). */
    List<String> runArguments();

    /** The pipeline's configuration against the chaos stack. */
    PipelineConfig config(String kafka, String postgresUrl);

    VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception;

    /**
     * Epoch ms of the latest write a sink has committed, or -1 if unknown; polled often, so an implementation
     * may keep state (e.g. when committed offsets last moved).
     */
    long lastCommittedWrite(PipelineConfig config);

    /** True once the pipeline has processed all input and its results are final up to {@code watermark}. */
    boolean drained(PipelineConfig config, long watermark);

    /** The main input topic and how to read an event time from its records (for the closing events' time). */
    String mainTopic(PipelineConfig config);

    long eventTime(PipelineConfig config, byte[] value);

    Duration outOfOrderness(PipelineConfig config);
}
