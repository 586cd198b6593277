package io.millrace.cli;

import io.millrace.chaos.ChaosTarget;
import io.millrace.config.CommonKeys;
import io.millrace.config.MarketConfig;
import io.millrace.config.PipelineConfig;
import io.millrace.config.Settings;
import io.millrace.config.StreamPipelineConfig;
import io.millrace.config.StreamSettings;
import io.millrace.verify.ConsumerLag;
import io.millrace.verify.Horizons;
import io.millrace.verify.VerifyResult;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A CLI pipeline as the target of a chaos run. Recovery is observed where the results land: the progress
 * rows of the PostgreSQL pipeline, or the committed end offsets of a Kafka pipeline's result topics.
 */
final class PipelineChaosTarget implements ChaosTarget {

    private final Pipeline pipeline;
    private final boolean kafkaOutput;
    private Admin admin;
    private long committed = -1;
    private long lastChange = -1;
    private long caughtUpSince = -1;

    PipelineChaosTarget(Pipeline pipeline, boolean kafkaOutput) {
        if (kafkaOutput && !pipeline.usesPostgres()) {
            throw new UserError("--kafka-output applies to market; the other pipelines always write Kafka");
        }
        this.pipeline = pipeline;
        this.kafkaOutput = kafkaOutput;
    }

    @Override
    public String pipeline() {
        return pipeline.name();
    }

    @Override
    public List<String> generatorArguments() {
        List<String> args = new ArrayList<>(List.of(pipeline.generatorName()));
        if (pipeline.usesPostgres()) {
            args.addAll(List.of("--duplicate-fraction", "0.001"));
        }
        return args;
    }

    @Override
    public List<String> runArguments() {
        return kafkaOutput ? List.of("--kafka-output") : List.of();
    }

    @Override
    public PipelineConfig config(String kafka, String postgresUrl) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(CommonKeys.KAFKA_BOOTSTRAP_SERVERS.name(), kafka);
        if (pipeline.usesPostgres()) {
            overrides.put(CommonKeys.POSTGRES_URL.name(), postgresUrl);
            overrides.put(MarketConfig.OUTPUT_KAFKA.name(), Boolean.toString(kafkaOutput));
        }
        return pipeline.config(Settings.layered(pipeline.keys(), null, Map.of(), overrides));
    }

    @Override
    public VerifyResult verify(PipelineConfig config, Duration wait, PrintWriter out) throws Exception {
        try {
            return pipeline.verify(config, wait, out);
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Override
    public long lastCommittedWrite(PipelineConfig config) {
        if (config instanceof MarketConfig market) {
            try (Connection db = market.postgres().open();
                    PreparedStatement st = db.prepareStatement("SELECT max(updated_at) FROM millrace_progress WHERE pipeline = ?")) {
                st.setString(1, market.pipeline());
                try (ResultSet rs = st.executeQuery()) {
                    OffsetDateTime t = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                    return t == null ? -1 : t.toInstant().toEpochMilli();
                }
            } catch (SQLException e) {
                return -1;
            }
        }
        long now = committedRecords(((StreamPipelineConfig) config).stream());
        if (now > committed) {
            committed = now;
            lastChange = System.currentTimeMillis();
        }
        return lastChange;
    }

    /** Records visible to read_committed consumers in the result, late and DLQ topics. */
    private long committedRecords(StreamSettings s) {
        try {
            Admin a = admin(s.kafka().bootstrapServers());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : a.describeTopics(List.of(s.outputTopic(), s.lateTopic(), s.dlqTopic())).allTopicNames().get().values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            return a.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values().stream()
                    .mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Market: all input committed and both sinks' progress past {@code watermark}. Kafka pipelines: all
     * input committed for three checkpoint intervals, enough for the last results' transaction to commit.
     */
    @Override
    public boolean drained(PipelineConfig config, long watermark) {
        long lag;
        try {
            lag = ConsumerLag.lag(admin(config.kafka().bootstrapServers()), config.groupId(), config.inputTopics());
        } catch (Exception e) {
            return false;
        }
        if (config instanceof MarketConfig market) {
            try (Connection db = market.postgres().open()) {
                Map<String, Long> h = Horizons.read(db, market.pipeline());
                return lag == 0 && Math.min(h.getOrDefault("enriched_trades", Long.MIN_VALUE),
                        h.getOrDefault("sector_metrics", Long.MIN_VALUE)) >= watermark;
            } catch (SQLException e) {
                return false;
            }
        }
        if (lag != 0) {
            caughtUpSince = -1;
            return false;
        }
        if (caughtUpSince < 0) {
            caughtUpSince = System.currentTimeMillis();
        }
        return System.currentTimeMillis() - caughtUpSince >= 3 * config.checkpointInterval().toMillis();
    }

    @Override
    public String mainTopic(PipelineConfig config) {
        return pipeline.mainTopic(config);
    }

    @Override
    public long eventTime(PipelineConfig config, byte[] value) {
        return pipeline.eventTime(config, value);
    }

    @Override
    public Duration outOfOrderness(PipelineConfig config) {
        return config instanceof MarketConfig m ? m.outOfOrderness() : ((StreamPipelineConfig) config).stream().outOfOrderness();
    }

    private Admin admin(String bootstrap) {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
        }
        return admin;
    }
}
