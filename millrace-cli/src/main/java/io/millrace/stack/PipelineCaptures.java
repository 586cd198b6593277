package io.millrace.stack;

import io.millrace.config.CommonSettings;
import io.millrace.config.PostgresSettings;
import io.millrace.config.Settings;
import io.millrace.pipeline.CaptureSpec;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The change data capture of the local stack: one {@link ChangeDataCapture} for every registered pipeline that
 * reads a database's changes, configured by the pipeline's settings (defaults and the environment) with the
 * stack's Kafka and PostgreSQL; its source tables are created first, and its offsets are kept under
 * {@code capture/<pipeline>} in the stack's home, so a restart resumes where it stopped.
 */
public final class PipelineCaptures implements AutoCloseable {

    private final List<ChangeDataCapture> running;
    private final List<StackInfo.CapturedPipeline> captured;

    private PipelineCaptures(List<ChangeDataCapture> running, List<StackInfo.CapturedPipeline> captured) {
        this.running = running;
        this.captured = captured;
    }

    public static PipelineCaptures start(MillraceHome home, String bootstrapServers, StackInfo.PostgresService postgres)
            throws Exception {
        List<ChangeDataCapture> running = new ArrayList<>();
        List<StackInfo.CapturedPipeline> captured = new ArrayList<>();
        try {
            for (PipelineDefinition<?> definition : Pipelines.all()) {
                if (!definition.services().contains(Service.CAPTURE)) {
                    continue;
                }
                Pipeline pipeline = configure(definition, bootstrapServers, postgres);
                CaptureSpec spec = pipeline.capture().orElseThrow(() -> new IllegalStateException(
                        definition.name() + " needs a capture but describes none"));
                pipeline.prepareSources();
                ChangeDataCapture.Options options = options(pipeline, home.root().resolve("capture").resolve(definition.name()));
                ChangeDataCapture capture = ChangeDataCapture.start(options);
                running.add(capture);
                capture.awaitPositionStored(Duration.ofSeconds(120));
                captured.add(new StackInfo.CapturedPipeline(definition.name(), spec.source().url(), spec.source().user(),
                        spec.slot(), spec.tables().stream().map(options::topic).toList()));
            }
        } catch (Exception e) {
            running.forEach(ChangeDataCapture::close);
            throw e;
        }
        return new PipelineCaptures(running, captured);
    }

    /** The capture a pipeline describes, with its offsets under {@code stateDir}. */
    public static ChangeDataCapture.Options options(Pipeline pipeline, Path stateDir) {
        CaptureSpec spec = pipeline.capture().orElseThrow(() -> new IllegalArgumentException(
                pipeline.name() + " reads no database's changes"));
        return new ChangeDataCapture.Options(spec.source().url(), spec.source().user(), spec.source().password(),
                spec.tables(), spec.topicPrefix(), spec.slot(), spec.publication(), stateDir, pipeline.config().kafka(),
                spec.partitions(), spec.heartbeatInterval());
    }

    /** The pipeline as the capture sees it: its defaults and the environment, on the stack's services. */
    static Pipeline configure(PipelineDefinition<?> definition, String bootstrapServers, StackInfo.PostgresService postgres) {
        Map<String, String> base = new LinkedHashMap<>();
        base.put(CommonSettings.KAFKA_BOOTSTRAP_SERVERS.name(), bootstrapServers);
        base.put(PostgresSettings.URL.name(), Optional.ofNullable(definition.stackDatabase()).map(postgres::jdbcUrl)
                .orElse(postgres.jdbcUrl()));
        base.put(PostgresSettings.USER.name(), postgres.user());
        return definition.configure(Settings.layered(definition.keys().all(), base, "the local stack", null,
                System.getenv(), Map.of()));
    }

    public List<StackInfo.CapturedPipeline> captured() {
        return captured;
    }

    public List<ChangeDataCapture.Status> status() {
        return running.stream().map(ChangeDataCapture::status).toList();
    }

    @Override
    public void close() {
        running.forEach(ChangeDataCapture::close);
    }
}
