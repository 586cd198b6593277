package io.millrace.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.pipeline.Finality;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.SinkSpec;
import io.millrace.pipeline.SourceSpec;
import io.millrace.sink.PostgresTable;
import io.millrace.sink.WarehouseReader;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TopicReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes {@link Observation}s of one running pipeline job: counts and watermarks from the Flink REST API, sink sizes
 * from the sinks themselves, consumer lag from Kafka's admin API, the newest dead letters from the dead-letter topic and
 * the newest results through the pipeline's own {@link Pipeline#latestResults}. Rates are measured between successive
 * readings of one observer. Not thread-safe: one thread takes the readings.
 */
public final class PipelineObserver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many dead letters and result rows a full reading carries. */
    public static final int DEAD_LETTER_LIMIT = 10;
    public static final int RESULT_LIMIT = 400;

    private final Pipeline pipeline;
    private final FlinkRest rest;
    private final String jobId;
    private final Admin admin;
    private final Map<String, Connection> databases = new HashMap<>();
    private final Map<String, WarehouseReader> warehouse = new HashMap<>();
    private Observation previous;
    private Map<TopicPartition, Long> inputEnds;

    public PipelineObserver(Pipeline pipeline, String flinkUrl, String jobId) {
        this.pipeline = pipeline;
        this.rest = new FlinkRest(flinkUrl);
        this.jobId = jobId;
        this.admin = pipeline.config().kafka().admin(5000);
    }

    /**
     * The ids of the pipeline's running jobs among {@code running}, comma-separated, or null if none runs. A job
     * named after the pipeline's first job, or after it and a dash, belongs to it: the architecture the jobs were
     * started with (one job or several) need not be the one configured here.
     */
    public static String runningJobIds(Pipeline pipeline, List<FlinkRest.JobSummary> running) {
        String name = baseJobName(pipeline.jobs().stream().map(PipelineJob::name).toList());
        List<String> ids = running.stream()
                .filter(j -> "RUNNING".equals(j.state()) && (j.name().equals(name) || j.name().startsWith(name + "-")))
                .map(FlinkRest.JobSummary::id).toList();
        return ids.isEmpty() ? null : String.join(",", ids);
    }

    /**
     * The name a pipeline's jobs share: the only job's name, or what the names of several have in common before
     * their last dash ({@code millrace-market} for {@code millrace-market-enrich} and {@code millrace-market-aggregate}).
     */
    static String baseJobName(List<String> names) {
        String common = names.get(0);
        for (String n : names) {
            int i = 0;
            while (i < common.length() && i < n.length() && common.charAt(i) == n.charAt(i)) {
                i++;
            }
            common = common.substring(0, i);
        }
        if (names.size() == 1) {
            return common;
        }
        int dash = common.lastIndexOf('-');
        return dash > 0 ? common.substring(0, dash) : common;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public String jobId() {
        return jobId;
    }

    public FlinkRest rest() {
        return rest;
    }

    /** A reading of every part. */
    public Observation observe() {
        return observe(EnumSet.allOf(Observation.Part.class));
    }

    /** A reading of the given parts; the others are left unknown (or empty). */
    public Observation observe(Set<Observation.Part> parts) {
        long nanos = System.nanoTime();
        long now = System.currentTimeMillis();
        long in = -1;
        List<Observation.Sink> sinks = new ArrayList<>();
        if (parts.contains(Observation.Part.FLOW)) {
            in = recordsIn();
            for (SinkSpec sink : pipeline.sinks()) {
                long count = count(sink);
                long fed = feedOperator(sink).map(feed -> rest.operatorMetric(jobId, feed, "numRecordsOut")).orElse(-1L);
                double rate = previous == null ? Double.NaN
                        : rate(count, previous.count(sink.name()), nanos - previous.nanos());
                sinks.add(new Observation.Sink(sink.name(), sink.role(), count, rate, fed));
            }
        }
        List<Observation.Operator> operators = new ArrayList<>();
        if (parts.contains(Observation.Part.OPERATORS)) {
            for (FlinkRest.VertexCounts v : rest.vertexCounts(jobId)) {
                Observation.Operator before = previous == null ? null : previous.operators().stream()
                        .filter(o -> o.name().equals(v.name())).findFirst().orElse(null);
                long dt = previous == null ? 0 : nanos - previous.nanos();
                operators.add(new Observation.Operator(v.name(), v.parallelism(), v.recordsIn(), v.recordsOut(),
                        before == null ? Double.NaN : rate(v.recordsIn(), before.recordsIn(), dt),
                        before == null ? Double.NaN : rate(v.recordsOut(), before.recordsOut(), dt)));
            }
        }
        List<Observation.PartitionLag> lag = parts.contains(Observation.Part.LAG) ? partitionLag() : List.of();
        long watermark = Long.MIN_VALUE;
        long resultsWatermark = Long.MIN_VALUE;
        if (parts.contains(Observation.Part.WATERMARK)) {
            watermark = rest.inputWatermark(jobId, pipeline.resultsSink().writerOperator());
            resultsWatermark = resultsWatermark(pipeline, rest, jobId);
        }
        Observation.Checkpoint checkpoint = parts.contains(Observation.Part.CHECKPOINT) ? checkpoint() : null;
        List<Observation.DeadLetter> letters = parts.contains(Observation.Part.DEAD_LETTERS) ? deadLetters() : List.of();
        List<Map<String, Object>> results = List.of();
        if (parts.contains(Observation.Part.RESULTS)) {
            try {
                results = List.copyOf(pipeline.latestResults(RESULT_LIMIT));
            } catch (RuntimeException e) {
                // The sink is not reachable right now: no results in this reading.
            }
        }
        double inRate = previous == null || in < 0 ? Double.NaN : rate(in, previous.recordsIn(), nanos - previous.nanos());
        Observation reading = new Observation(pipeline.name(), jobId, now, nanos, in, inRate, List.copyOf(operators),
                List.copyOf(sinks), lag, watermark, resultsWatermark, checkpoint, letters, results);
        // Rates need the previous count of the same thing: keep the last reading that had it.
        previous = previous == null ? reading : merge(previous, reading, parts);
        return reading;
    }

    /**
     * The watermark up to which results are final, or Long.MIN_VALUE if unknown yet: stored next to the results,
     * or the input watermark of the results' writer in the running job.
     */
    public static long resultsWatermark(Pipeline pipeline, FlinkRest rest, String jobId) {
        Finality finality = pipeline.finality();
        if (finality instanceof Finality.Stored stored) {
            return stored.watermark();
        }
        return rest.inputWatermark(jobId, ((Finality.WriterWatermark) finality).writerOperator());
    }

    /**
     * Records the group has not committed of the input there was at the first call (once the generator is done); -1
     * if unknown. A change capture keeps adding heartbeats, so the live lag is never zero there.
     */
    public long lagBehindInputAtFirstCall() {
        try {
            if (inputEnds == null) {
                inputEnds = io.millrace.verify.ConsumerLag.endOffsets(admin, pipeline.config().inputTopics());
            }
            return io.millrace.verify.ConsumerLag.lagBehind(admin, pipeline.config().groupId(), inputEnds);
        } catch (Exception e) {
            return -1;
        }
    }

    private static Observation merge(Observation before, Observation now, Set<Observation.Part> parts) {
        boolean flow = parts.contains(Observation.Part.FLOW);
        boolean ops = parts.contains(Observation.Part.OPERATORS);
        if (flow && ops) {
            return now;
        }
        // A partial reading: carry the other part's counts forward, with the time of the newer one where it was read.
        return new Observation(now.pipeline(), now.jobId(), now.timeMillis(), now.nanos(),
                flow ? now.recordsIn() : before.recordsIn(), now.inPerSecond(), ops ? now.operators() : before.operators(),
                flow ? now.sinks() : before.sinks(), now.lag(), now.watermark(), now.resultsWatermark(), now.checkpoint(),
                now.latestDeadLetters(), now.latestResults());
    }

    private static double rate(long now, long before, long nanos) {
        return now < 0 || before < 0 || nanos <= 0 ? Double.NaN : Math.max(0, now - before) * 1e9 / nanos;
    }

    private long recordsIn() {
        long in = 0;
        boolean any = false;
        for (SourceSpec source : pipeline.sources()) {
            long n = rest.operatorMetric(jobId, source.metricOperator(), "numRecordsOut");
            if (n >= 0) {
                in += n;
                any = true;
            }
        }
        return any ? in : -1;
    }

    /** Committed offsets of the pipeline's group against the end offsets, per input partition; empty if unknown. */
    private List<Observation.PartitionLag> partitionLag() {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(pipeline.config().inputTopics()).allTopicNames().get(5, TimeUnit.SECONDS)
                    .values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(pipeline.config().groupId())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            List<Observation.PartitionLag> lag = new ArrayList<>();
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag.add(new Observation.PartitionLag(e.getKey().topic(), e.getKey().partition(),
                        c == null ? -1 : c.offset(), e.getValue().offset()));
            }
            lag.sort(Comparator.comparing(Observation.PartitionLag::topic)
                    .thenComparingInt(Observation.PartitionLag::partition));
            return List.copyOf(lag);
        } catch (Exception e) {
            // Kafka briefly unavailable: the lag is unknown for this reading.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
    }

    /** The latest completed checkpoint from {@code /jobs/<id>/checkpoints}, or null. */
    private Observation.Checkpoint checkpoint() {
        try {
            JsonNode all = rest.get("/jobs/" + FlinkRest.ids(jobId).get(0) + "/checkpoints");
            JsonNode c = all.path("latest").path("completed");
            if (c.isMissingNode() || c.isNull()) {
                return null;
            }
            // Flink 2 reports the incremental size as checkpointed_size; state_size is the full state.
            long size = c.has("checkpointed_size") ? c.path("checkpointed_size").asLong() : c.path("state_size").asLong();
            return new Observation.Checkpoint(c.path("id").asLong(), c.path("end_to_end_duration").asLong(), size,
                    c.path("latest_ack_timestamp").asLong(), all.path("counts").path("completed").asLong(),
                    all.path("counts").path("failed").asLong());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The newest records of the dead-letter topic, newest first, with their reasons. */
    private List<Observation.DeadLetter> deadLetters() {
        List<Observation.DeadLetter> letters = new ArrayList<>();
        try {
            for (InputRecord r : TopicReader.last(pipeline.config().kafka(), pipeline.config().dlqTopic(),
                    DEAD_LETTER_LIMIT)) {
                try {
                    JsonNode n = JSON.readTree(r.value());
                    letters.add(new Observation.DeadLetter(n.path("source_topic").asText(r.topic()) + "/"
                            + n.path("partition").asText("?") + "@" + n.path("offset").asText("?"),
                            n.path("error").asText("?"), n.path("detected_at").asText(""),
                            n.path("value_text").asText(n.path("value_base64").asText(""))));
                } catch (IOException e) {
                    letters.add(new Observation.DeadLetter(r.origin(), "(unreadable dead letter)", "", ""));
                }
            }
        } catch (RuntimeException e) {
            // Kafka briefly unavailable, or no dead-letter topic yet.
            return List.of();
        }
        // ISO-8601 instants of one format sort by time as text.
        letters.sort(Comparator.comparing(Observation.DeadLetter::detectedAt).reversed());
        return List.copyOf(letters.subList(0, Math.min(DEAD_LETTER_LIMIT, letters.size())));
    }

    /**
     * Rows in a table, documents the search node has acknowledged, rows the warehouse has committed, or the records a
     * topic's (or Redis') writer has sent; -1 if unknown right now.
     */
    private long count(SinkSpec sink) {
        if (sink instanceof SinkSpec.PostgresTable table) {
            return rows(table);
        }
        if (sink instanceof SinkSpec.SearchIndex) {
            return rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsSend");
        }
        if (sink instanceof SinkSpec.WarehouseTable table) {
            return committedRows(table);
        }
        return rest.operatorMetric(jobId, sink.writerOperator(), "numRecordsIn");
    }

    private static Optional<String> feedOperator(SinkSpec sink) {
        if (sink instanceof SinkSpec.SearchIndex index) {
            return Optional.of(index.feedOperator());
        }
        if (sink instanceof SinkSpec.WarehouseTable table) {
            return Optional.of(table.feedOperator());
        }
        return Optional.empty();
    }

    private long committedRows(SinkSpec.WarehouseTable table) {
        try {
            WarehouseReader reader = warehouse.get(table.name());
            if (reader == null) {
                reader = WarehouseReader.open(table.warehouse(), table.name());
                warehouse.put(table.name(), reader);
            }
            return reader.refresh().count();
        } catch (RuntimeException e) {
            // Not created yet, or its metadata is being replaced: unknown for now.
            return -1;
        }
    }

    private long rows(SinkSpec.PostgresTable table) {
        String url = table.postgres().url();
        try {
            Connection db = databases.get(url);
            if (db == null || db.isClosed()) {
                db = table.postgres().open();
                db.setAutoCommit(true);
                databases.put(url, db);
            }
            if (!PostgresTable.exists(db, table.name())) {
                return -1;
            }
            // The table name comes from the pipeline's definition, never from input.
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.name())) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            // The database is restarting: unknown for now, reconnect next time.
            closeDatabases();
            return -1;
        }
    }

    private void closeDatabases() {
        for (Connection db : databases.values()) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // Reconnect next time.
            }
        }
        databases.clear();
    }

    @Override
    public void close() {
        closeDatabases();
        warehouse.values().forEach(WarehouseReader::close);
        admin.close();
    }

}
