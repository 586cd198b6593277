package io.millrace.pipeline;

import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.source.TopicSpec;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline with its settings ({@link PipelineDefinition#configure}): what it reads and writes, its jobs,
 * generator and oracle, with nothing left to choose. Commands work with this and nothing pipeline-specific.
 */
public interface Pipeline {

    PipelineDefinition<?> definition();

    Settings settings();

    PipelineConfig config();

    default String name() {
        return definition().name();
    }

    default Set<Service> services() {
        return definition().services();
    }

    List<TopicSpec> topics();

    /** Every topic any setting of this pipeline names, whether or not this configuration uses it (for reset). */
    default List<String> allTopics() {
        Set<String> topics = new LinkedHashSet<>();
        definition().keys().topics().forEach(key -> topics.add(settings().get(key)));
        return new ArrayList<>(topics);
    }

    List<PipelineJob> jobs();

    List<SourceSpec> sources();

    List<SinkSpec> sinks();

    /** The sinks of one kind, e.g. {@code sinks(SinkSpec.PostgresTable.class)}. */
    default <S extends SinkSpec> List<S> sinks(Class<S> kind) {
        return sinks().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The first sink holding results: the one whose size says how much the pipeline has produced. */
    default SinkSpec resultsSink() {
        return sinks().stream().filter(s -> s.role() == SinkRole.RESULTS).findFirst().orElseThrow();
    }

    Finality finality();

    String mainTopic();

    String referenceTopic();

    EventGenerator generator(GeneratorOptions shared, Settings options);

    /** The database changes it reads, if any. */
    Optional<CaptureSpec> capture();

    /** The search index it writes, if any. */
    Optional<String> searchIndex();

    /** Creates what its sources need before anything writes them, if anything. */
    void prepareSources() throws Exception;

    /** A new connection to where generated records go; close it when done. */
    GeneratorOutput generatorOutput();

    InputOracle oracle(List<InputRecord> reference, long now);

    VerifyResult verify(Duration wait, PrintWriter out) throws Exception;

    long eventTime(byte[] value);

    Duration closingOffset();

    Duration lateBy();

    long drainTarget(long maxEventTime);

    /** A new probe of when sampled input records' results become visible, if the pipeline has one; close it. */
    Optional<LatencyProbe> latencyProbe();

    /** The plain Flink SQL formulation the benchmark compares the pipeline with, if it has one. */
    Optional<SqlBaseline> sqlBaseline();

    /** How the dashboard charts its results. */
    List<ResultChart> resultCharts();

    /** Up to {@code limit} of its newest results, oldest first, as JSON-able rows (see {@link ResultChart}). */
    List<Map<String, Object>> latestResults(int limit);
}
