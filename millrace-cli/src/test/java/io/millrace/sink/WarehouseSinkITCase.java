package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.cli.WarehouseQuery;
import io.millrace.config.WarehouseConnection;
import io.millrace.pipeline.OperatorNames;
import io.millrace.pipeline.engagement.EngagementWarehouse;
import io.millrace.pipeline.engagement.EnrichedEngagement;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.DistributionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg's Flink sink through {@link WarehouseTable#attach} on a MiniCluster at parallelism 2, checkpointing
 * every 500 ms, into a Hadoop catalog: every row as the test expects it, once, in three day partitions,
 * committed in several snapshots; the same after a failure and restart; and DuckDB's view of it agrees.
 */
class WarehouseSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int N = 20_000;
    private static final Instant FIRST_DAY = Instant.parse("2025-03-01T00:00:00Z");
    private static final long THREE_DAYS_MS = Duration.ofDays(3).toMillis();
    private static final String[] CONTENT_TYPES = {"movie", "episode", "clip"};
    private static final String[] EVENT_TYPES = {"play", "pause", "complete"};
    private static final String[] DEVICES = {"tv", "phone", "web"};
    private static final String OPERATOR = "Iceberg engagement_events";

    /** Set by the failing map when it has thrown, so it throws once per JVM. */
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    void shouldWriteEveryRowOnceIntoDayPartitionsAndCommitOnCheckpoints(@TempDir Path dir) throws Exception {
        WarehouseConnection warehouse = WarehouseConnection.local(dir, "millrace");
        StreamExecutionEnvironment env = env(false);
        WarehouseTable.attach(events(env, false), warehouse, EngagementWarehouse.TABLE, EngagementWarehouse.ROWS, 2,
                DistributionMode.HASH, "warehouse-engagement", OPERATOR);

        StreamGraph graph = env.getStreamGraph(false);
        List<String> operators = graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
        // The writer under the name our monitors read its records-in count from.
        assertThat(operators).contains(OPERATOR + ": Rows", OperatorNames.writer(OPERATOR), OPERATOR + ": Committer",
                OPERATOR + ": Sink pre-commit aggregator: warehouse-engagement");
        env.execute(graph);

        try (WarehouseReader reader = WarehouseReader.open(warehouse, EngagementWarehouse.TABLE_NAME)) {
            assertEveryRowOnce(reader);
            assertThat(reader.partitions()).containsExactly("event_ts_day=2025-03-01", "event_ts_day=2025-03-02",
                    "event_ts_day=2025-03-03");
            // Committed as checkpoints completed, not only at the end of the input.
            assertThat(StreamSupport.stream(reader.table().snapshots().spliterator(), false).count())
                    .isGreaterThanOrEqualTo(2);
            assertThat(reader.snapshotTime()).isPresent();
        }
        assertDuckDbAgrees(warehouse);
    }

    @Test
    void shouldWriteEveryRowOnceAfterAFailureAndRestart(@TempDir Path dir) throws Exception {
        WarehouseConnection warehouse = WarehouseConnection.local(dir, "millrace");
        StreamExecutionEnvironment env = env(true);
        FAILED.set(false);
        WarehouseTable.attach(events(env, true), warehouse, EngagementWarehouse.TABLE, EngagementWarehouse.ROWS, 2,
                DistributionMode.NONE, "warehouse-engagement", OPERATOR);
        env.execute("warehouse failover");

        assertThat(FAILED).isTrue();
        try (WarehouseReader reader = WarehouseReader.open(warehouse, EngagementWarehouse.TABLE_NAME)) {
            assertEveryRowOnce(reader);
            assertThat(StreamSupport.stream(reader.table().snapshots().spliterator(), false).count())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    private static StreamExecutionEnvironment env(boolean restart) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (restart) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        env.configure(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500, CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    /** Events 0..N-1, slowed so that checkpoints complete while they flow; with {@code failOnce}, one failure. */
    private static DataStream<EnrichedEngagement> events(StreamExecutionEnvironment env, boolean failOnce) {
        return env.fromSequence(0, N - 1)
                .map(new SlowEvents(failOnce))
                .returns(EnrichedEngagement.class)
                .name("events");
    }

    /** Event {@code i}: event times spread evenly over three days, some nulls and some unknown content. */
    static EnrichedEngagement event(long i) {
        int k = (int) i;
        long eventTs = FIRST_DAY.toEpochMilli() + i * THREE_DAYS_MS / N;
        Integer duration = k % 11 == 0 ? null : (k % 600) * 100;
        String device = k % 7 == 0 ? null : DEVICES[k % 3];
        if (k % 13 == 0) {
            return new EnrichedEngagement(i + 1, "c" + k % 50, "u" + k % 997, EVENT_TYPES[k % 3], eventTs, duration,
                    device, EnrichedEngagement.UNKNOWN, null, null, eventTs + 1000 + k % 500);
        }
        int length = 60 + (k % 50) * 30;
        BigDecimal pct = duration == null ? null
                : BigDecimal.valueOf(duration).divide(BigDecimal.valueOf(10L * length), 4, RoundingMode.HALF_UP);
        return new EnrichedEngagement(i + 1, "c" + k % 50, "u" + k % 997, EVENT_TYPES[k % 3], eventTs, duration, device,
                CONTENT_TYPES[(k / 7) % 3], length, pct, eventTs + 1000 + k % 500);
    }

    /** Event {@code i} as the table's row should hold it, written out independently of the job's converter. */
    private static Map<String, Object> expectedRow(long i) {
        EnrichedEngagement e = event(i);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", e.id());
        row.put("content_id", e.contentId());
        row.put("user_id", e.userId());
        row.put("event_type", e.eventType());
        row.put("event_ts", Instant.ofEpochMilli(e.eventTs()));
        row.put("duration_ms", e.durationMs());
        row.put("device", e.device());
        row.put("content_type", e.contentType());
        row.put("length_seconds", e.lengthSeconds());
        row.put("engagement_pct", e.engagementPct());
        row.put("commit_ts", Instant.ofEpochMilli(e.commitTs()));
        return row;
    }

    private static void assertEveryRowOnce(WarehouseReader reader) {
        assertThat(reader.count()).isEqualTo(N);
        Map<Long, Map<String, Object>> byId = new HashMap<>();
        List<Long> duplicates = new ArrayList<>();
        for (Map<String, Object> row : reader.rows()) {
            if (byId.put((Long) row.get("id"), row) != null) {
                duplicates.add((Long) row.get("id"));
            }
        }
        assertThat(duplicates).isEmpty();
        assertThat(byId).hasSize(N);
        for (long i = 0; i < N; i++) {
            assertThat(byId.get(i + 1)).as("row of event %d", i).isEqualTo(expectedRow(i));
        }
    }

    private static void assertDuckDbAgrees(WarehouseConnection warehouse) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (long i = 0; i < N; i++) {
            EnrichedEngagement e = event(i);
            counts.merge(e.contentType(), 1L, Long::sum);
            sums.merge(e.contentType(), e.engagementPct() == null ? BigDecimal.ZERO.setScale(4) : e.engagementPct(),
                    BigDecimal::add);
        }
        try (WarehouseQuery query = WarehouseQuery.open(warehouse)) {
            assertThat(query.tables()).containsExactly(EngagementWarehouse.TABLE_NAME);
            Map<String, Long> duckCounts = new TreeMap<>();
            Map<String, BigDecimal> duckSums = new TreeMap<>();
            query.query("SELECT content_type, count(*), coalesce(sum(engagement_pct), 0) FROM engagement_events "
                    + "GROUP BY 1 ORDER BY 1", rs -> {
                        while (rs.next()) {
                            duckCounts.put(rs.getString(1), rs.getLong(2));
                            duckSums.put(rs.getString(1), rs.getBigDecimal(3).setScale(4));
                        }
                        return null;
                    });
            assertThat(duckCounts).isEqualTo(counts);
            assertThat(duckSums).isEqualTo(sums);
            long days = query.query("SELECT count(DISTINCT CAST(event_ts AS DATE)) FROM engagement_events", rs -> {
                rs.next();
                return rs.getLong(1);
            });
            assertThat(days).isEqualTo(3);
        }
    }

    /** Builds the events at about 4 per millisecond per subtask; with {@code failOnce}, throws once after a checkpoint. */
    private static final class SlowEvents extends RichMapFunction<Long, EnrichedEngagement> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final boolean failOnce;
        private transient boolean checkpointed;
        private transient long seen;

        SlowEvents(boolean failOnce) {
            this.failOnce = failOnce;
        }

        @Override
        public void open(OpenContext context) {
            checkpointed = false;
            seen = 0;
        }

        @Override
        public EnrichedEngagement map(Long i) throws Exception {
            if (++seen % 4 == 0) {
                Thread.sleep(1);
            }
            if (failOnce && checkpointed && seen > N / 8 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("failing once on purpose, after a completed checkpoint");
            }
            return event(i);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
