package io.millrace.pipeline;

import io.millrace.config.ConfigKeys;
import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.KafkaGeneratorOutput;
import io.millrace.source.TopicSpec;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything about one pipeline, declared once: its name and settings, the Flink jobs it runs, where it
 * reads and writes, how its results become final, its generator and its oracle. Commands work through
 * {@link #configure} and never ask which pipeline they hold; a pipeline is added by writing a subclass and
 * listing it in {@link Pipelines}.
 *
 * @param <C> the pipeline's typed configuration
 */
public abstract class PipelineDefinition<C extends PipelineConfig> {

    /** The name commands take ({@code run NAME}, {@code gen NAME}). */
    public abstract String name();

    /** One line on what the pipeline does, for help and docs. */
    public abstract String description();

    /** Its documentation page, relative to the repository root. */
    public String docs() {
        return "docs/pipelines/" + name() + ".md";
    }

    public abstract ConfigKeys keys();

    /** The typed configuration, parsed and validated once. */
    public abstract C config(Settings settings);

    /** The services it needs besides Flink. */
    public abstract Set<Service> services();

    /**
     * The database it uses on the local stack's PostgreSQL server, or null for the server's default one: the
     * stack's endpoint is given to the pipeline with this database.
     */
    public String stackDatabase() {
        return null;
    }

    /** The tables whose changes it reads, if it reads a database's changes (see {@link Service#CAPTURE}). */
    public Optional<CaptureSpec> capture(C config) {
        return Optional.empty();
    }

    /** The search index it writes, if it writes one (it then needs {@link Service#SEARCH}). */
    public Optional<String> searchIndex(C config) {
        return Optional.empty();
    }

    /** Creates what its sources need before anything writes them (a source database's tables), if anything. */
    public void prepareSources(C config) throws Exception {}

    /** Command-line shortcuts for its main choices. */
    public List<PipelineFlag> flags() {
        return List.of();
    }

    /** The topics to create before it runs (inputs, outputs, dead letters). */
    public abstract List<TopicSpec> topics(C config);

    /** Its Flink jobs, in the order they are started. */
    public abstract List<PipelineJob> jobs(C config);

    public abstract List<SourceSpec> sources(C config);

    public abstract List<SinkSpec> sinks(C config);

    public abstract Finality finality(C config);

    /** The topic its generator writes the main records to. */
    public abstract String mainTopic(C config);

    /** The topic of reference records (e.g. symbol info), or null. */
    public String referenceTopic(C config) {
        return null;
    }

    public abstract GeneratorSpec generatorSpec();

    /**
     * A generator with the shared options and its own ({@code options}: values of
     * {@link GeneratorSpec#options()}).
     */
    public abstract EventGenerator generator(C config, GeneratorOptions shared, Settings options);

    /** Where the generator's records go: by default the main and reference input topics. */
    public GeneratorOutput generatorOutput(C config) {
        return new KafkaGeneratorOutput(config.kafka(), mainTopic(config), referenceTopic(config));
    }

    /** The oracle of the main input, given the reference records read so far (in topic order). */
    public abstract InputOracle oracle(C config, List<InputRecord> reference, long now);

    /** Compares every sink with the oracle's recomputation from the input topics. */
    public abstract VerifyResult verify(C config, Duration wait, PrintWriter out) throws Exception;

    /** The event time of one main-topic record as the pipeline reads it, or Long.MIN_VALUE if it has none. */
    public abstract long eventTime(C config, byte[] value);

    /** How far past the newest event closing events go, so every window before them closes. */
    public abstract Duration closingOffset(C config);

    /** How far behind the event clock a generated late record is, so it is surely beyond the lateness. */
    public abstract Duration lateBy(C config);

    /** The results watermark at which every result up to an event at {@code maxEventTime} is final. */
    public abstract long drainTarget(C config, long maxEventTime);

    /**
     * What tells when the result of a sampled input record is visible in its sink, to measure end-to-end latency;
     * empty when the pipeline has none (its latency is then not measured).
     */
    public Optional<LatencyProbe> latencyProbe(C config) {
        return Optional.empty();
    }

    /** A plain Flink SQL formulation of the pipeline for the benchmark to compare with; none by default. */
    public Optional<SqlBaseline> sqlBaseline(C config) {
        return Optional.empty();
    }

    /** How the dashboard charts its results (rows of {@link #latestResults}); none by default. */
    public List<ResultChart> resultCharts(C config) {
        return List.of();
    }

    /**
     * Up to {@code limit} of its newest results as they are in its results sink, oldest first, as JSON-able rows
     * (field name to string, number or boolean) that {@link #resultCharts} draws; empty if there are none or the sink
     * cannot be read right now. Called about once a second while a dashboard is open, so it reads a bounded tail.
     */
    public List<Map<String, Object>> latestResults(C config, int limit) {
        return List.of();
    }

    /** The pipeline with its settings: what commands work with. */
    public final Pipeline configure(Settings settings) {
        return new Configured(settings, config(settings));
    }

    /** Binds a definition to one configuration. */
    private final class Configured implements Pipeline {
        private final Settings settings;
        private final C config;

        Configured(Settings settings, C config) {
            this.settings = settings;
            this.config = config;
        }

        @Override
        public PipelineDefinition<?> definition() {
            return PipelineDefinition.this;
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        public C config() {
            return config;
        }

        @Override
        public List<TopicSpec> topics() {
            return PipelineDefinition.this.topics(config);
        }

        @Override
        public List<PipelineJob> jobs() {
            return PipelineDefinition.this.jobs(config);
        }

        @Override
        public List<SourceSpec> sources() {
            return PipelineDefinition.this.sources(config);
        }

        @Override
        public List<SinkSpec> sinks() {
            return PipelineDefinition.this.sinks(config);
        }

        @Override
        public Finality finality() {
            return PipelineDefinition.this.finality(config);
        }

        @Override
        public String mainTopic() {
            return PipelineDefinition.this.mainTopic(config);
        }

        @Override
        public String referenceTopic() {
            return PipelineDefinition.this.referenceTopic(config);
        }

        @Override
        public EventGenerator generator(GeneratorOptions shared, Settings options) {
            return PipelineDefinition.this.generator(config, shared, options);
        }

        @Override
        public Optional<CaptureSpec> capture() {
            return PipelineDefinition.this.capture(config);
        }

        @Override
        public Optional<String> searchIndex() {
            return PipelineDefinition.this.searchIndex(config);
        }

        @Override
        public void prepareSources() throws Exception {
            PipelineDefinition.this.prepareSources(config);
        }

        @Override
        public GeneratorOutput generatorOutput() {
            return PipelineDefinition.this.generatorOutput(config);
        }

        @Override
        public InputOracle oracle(List<InputRecord> reference, long now) {
            return PipelineDefinition.this.oracle(config, reference, now);
        }

        @Override
        public VerifyResult verify(Duration wait, PrintWriter out) throws Exception {
            return PipelineDefinition.this.verify(config, wait, out);
        }

        @Override
        public long eventTime(byte[] value) {
            return PipelineDefinition.this.eventTime(config, value);
        }

        @Override
        public Duration closingOffset() {
            return PipelineDefinition.this.closingOffset(config);
        }

        @Override
        public Duration lateBy() {
            return PipelineDefinition.this.lateBy(config);
        }

        @Override
        public Optional<LatencyProbe> latencyProbe() {
            return PipelineDefinition.this.latencyProbe(config);
        }

        @Override
        public Optional<SqlBaseline> sqlBaseline() {
            return PipelineDefinition.this.sqlBaseline(config);
        }

        @Override
        public long drainTarget(long maxEventTime) {
            return PipelineDefinition.this.drainTarget(config, maxEventTime);
        }

        @Override
        public List<ResultChart> resultCharts() {
            return PipelineDefinition.this.resultCharts(config);
        }

        @Override
        public List<Map<String, Object>> latestResults(int limit) {
            return PipelineDefinition.this.latestResults(config, limit);
        }
    }
}
