package io.millrace.chaos;

import io.millrace.config.CommonSettings;
import io.millrace.config.PostgresSettings;
import io.millrace.config.RedisSettings;
import io.millrace.config.SearchSettings;
import io.millrace.config.Settings;
import io.millrace.config.WarehouseSettings;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Service;
import io.millrace.pipeline.SinkSpec;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipeline a chaos run attacks, with the settings it runs with. Recovery is observed where the results
 * land: the progress a pipeline's sinks store with their results, otherwise the
 * committed end offsets of its result topics.
 */
public final class ChaosTarget {

    private final PipelineDefinition<?> definition;
    private final Map<String, String> settings;
    private Admin admin;
    private long committed = -1;
    private long lastChange = -1;
    private long caughtUpSince = -1;
    private Map<TopicPartition, Long> drainEnds;
    private String lastDrainReading = "no reading yet";

    /** @param settings the pipeline's settings besides the chaos stack's endpoints (e.g. from its flags) */
    public ChaosTarget(PipelineDefinition<?> definition, Map<String, String> settings) {
        this.definition = definition;
        this.settings = Map.copyOf(settings);
    }

    public String pipeline() {
        return definition.name();
    }

    public java.util.Set<Service> services() {
        return definition.services();
    }

    /** {@code gen} arguments: the generator's name and the options runs with faults add. */
    public List<String> generatorArguments() {
        List<String> args = new ArrayList<>(List.of(definition.generatorSpec().name()));
        definition.generatorSpec().faultOptions().forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        return args;
    }

    /** Extra {@code run} arguments: the pipeline's settings. */
    public List<String> runArguments() {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return args;
    }

    /** The pipeline configured against the chaos stack: its Kafka, PostgreSQL server, Redis, search node and warehouse. */
    public Pipeline configure(String kafka, String postgresServerUrl, int redisPort, String searchUrl, Path warehouse) {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        overrides.put(CommonSettings.KAFKA_BOOTSTRAP_SERVERS.name(), kafka);
        if (definition.services().contains(Service.POSTGRES)) {
            String database = definition.stackDatabase() == null ? "postgres" : definition.stackDatabase();
            overrides.put(PostgresSettings.URL.name(), postgresServerUrl.substring(0, postgresServerUrl.lastIndexOf('/') + 1)
                    + database);
        }
        if (definition.services().contains(Service.REDIS)) {
            overrides.put(RedisSettings.HOST.name(), "127.0.0.1");
            overrides.put(RedisSettings.PORT.name(), Integer.toString(redisPort));
        }
        if (definition.services().contains(Service.SEARCH)) {
            overrides.put(SearchSettings.URL.name(), searchUrl);
        }
        if (definition.keys().contains(WarehouseSettings.PATH.name())) {
            overrides.put(WarehouseSettings.PATH.name(), warehouse.toUri().toString());
        }
        return definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), overrides));
    }

    public VerifyResult verify(Pipeline pipeline, Duration wait, PrintWriter out) throws Exception {
        try {
            return pipeline.verify(wait, out);
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
    }

    /**
     * Epoch ms of the latest write a sink has committed, or -1 if unknown; polled often, so for topics it
     * remembers when the committed offsets last moved.
     */
    public long lastCommittedWrite(Pipeline pipeline) {
        if (pipeline.finality() instanceof Finality.Stored stored) {
            return stored.lastWrite();
        }
        long now = committedRecords(pipeline);
        if (now > committed) {
            committed = now;
            lastChange = System.currentTimeMillis();
        }
        return lastChange;
    }

    /** Records visible to read_committed consumers in the pipeline's topics. */
    private long committedRecords(Pipeline pipeline) {
        try {
            Admin a = admin(pipeline);
            List<String> topics = pipeline.sinks(SinkSpec.KafkaTopic.class).stream().map(SinkSpec::name).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : a.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            return a.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values().stream()
                    .mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * All input committed and the results final past {@code watermark}: per the progress table, or, for
     * transactional topics, all input committed for three checkpoint intervals, enough for the last results'
     * transaction to commit.
     */
    public boolean drained(Pipeline pipeline, long watermark) {
        long lag;
        try {
            if (drainEnds == null) {
                // The input once the generator is done; a change capture's heartbeats keep adding to it after.
                drainEnds = ConsumerLag.endOffsets(admin(pipeline), pipeline.config().inputTopics());
            }
            lag = ConsumerLag.lagBehind(admin(pipeline), pipeline.config().groupId(), drainEnds);
        } catch (Exception e) {
            return false;
        }
        if (pipeline.finality() instanceof Finality.Stored stored) {
            long reached = stored.watermark();
            lastDrainReading = "lag " + lag + " records, results final up to "
                    + (reached == Long.MIN_VALUE ? "unknown" : Instant.ofEpochMilli(reached).toString()) + ", target "
                    + (watermark == Long.MAX_VALUE ? "the end of time" : Instant.ofEpochMilli(watermark).toString());
            return lag == 0 && reached >= watermark;
        }
        lastDrainReading = "lag " + lag + " records";
        if (lag != 0) {
            caughtUpSince = -1;
            return false;
        }
        if (caughtUpSince < 0) {
            caughtUpSince = System.currentTimeMillis();
        }
        return System.currentTimeMillis() - caughtUpSince >= 3 * pipeline.config().checkpointInterval().toMillis();
    }

    /** What the last {@link #drained} call saw, for a message when the pipeline does not drain. */
    public String lastDrainReading() {
        return lastDrainReading;
    }

    private Admin admin(Pipeline pipeline) {
        if (admin == null) {
            admin = pipeline.config().kafka().admin(5000);
        }
        return admin;
    }
}
