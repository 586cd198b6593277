package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.config.KafkaConnection;
import io.millrace.stack.ChangeDataCapture;
import io.millrace.stack.LocalPostgres;
import io.millrace.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Change data capture from a real PostgreSQL into a real Kafka broker: existing rows arrive as snapshot reads,
 * inserts, updates and deletes as changes, every change at least once and in WAL order per partition, and every
 * partition carries heartbeats that come after every change committed before their time; across a restart of the
 * service (no second snapshot) and across a restart of PostgreSQL (nothing lost).
 */
class ChangeDataCaptureITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int BULK_EVENTS = 8_000;

    private static final String DDL = """
            CREATE TABLE content (id UUID PRIMARY KEY, slug TEXT UNIQUE NOT NULL, title TEXT NOT NULL, content_type TEXT NOT NULL, length_seconds INTEGER, publish_ts TIMESTAMPTZ NOT NULL);
            CREATE TABLE engagement_events (id BIGSERIAL PRIMARY KEY, content_id UUID, user_id UUID, event_type TEXT NOT NULL, event_ts TIMESTAMPTZ NOT NULL, duration_ms INTEGER, device TEXT, raw_payload JSONB);
            """;

    @Test
    void forwardsSnapshotAndChangesWithHeartbeatsAndResumesWithoutSnapshotAfterRestart() throws Exception {
        try (Scenario s = new Scenario("cdc_restart")) {
            s.insertContent(1, "Intro", 120);
            s.insertContent(2, "Deep dive", 3600);
            s.insertEvent(1, "view", 1500);
            int snapshotRows = 3;

            try (ChangeDataCapture cdc = ChangeDataCapture.start(s.options())) {
                s.awaitStreamed(cdc, "the snapshot");
                assertThat(s.log.changes()).as("snapshot reads").hasSize(snapshotRows)
                        .allSatisfy(c -> assertThat(c.op()).isEqualTo("r"));

                s.insertContent(3, "Live", 45);
                s.updateTitle(1, "Intro, revised");
                s.insertContentWithEvents(4, "Bundle", List.of("view", "like"));
                s.insertEvent(2, "share", null);
                s.deleteContent(2);
                // Debezium hands a large transaction over in several batches: no heartbeat may come between them.
                s.insertEvents(4, "impression", BULK_EVENTS);
                s.awaitStreamed(cdc, "inserts, an update, a delete and a large transaction");

                ChangeDataCapture.Status status = cdc.status();
                assertThat(status.running()).isTrue();
                assertThat(status.changesForwarded()).isEqualTo(s.expected.size());
                assertThat(status.lastCommitMillis()).isEqualTo(s.log.lastCommitMillis());
                assertThat(status.lastError()).isNull();
                assertThat(status.slotLagBytes()).isGreaterThanOrEqualTo(0);
            }

            s.insertContent(5, "Made while stopped", 30);
            s.updateTitle(3, "Live, revised while stopped");
            s.insertEvent(5, "view", 900);
            try (ChangeDataCapture cdc = ChangeDataCapture.start(s.options())) {
                s.awaitStreamed(cdc, "the changes made while the service was stopped");
            }
            assertThat(s.log.changes().stream().filter(c -> c.op().equals("r"))).as("no second snapshot")
                    .hasSize(snapshotRows);
            s.verify();
        }
    }

    @Test
    void losesNothingWhenPostgresRestarts() throws Exception {
        try (Scenario s = new Scenario("cdc_outage")) {
            s.insertContent(1, "Before start", 60);
            try (ChangeDataCapture cdc = ChangeDataCapture.start(s.options())) {
                s.awaitStreamed(cdc, "the snapshot");
                s.insertContent(2, "Before the outage", 61);
                s.insertEvent(2, "view", 100);
                s.awaitStreamed(cdc, "changes before the outage");

                // Committed just before the server goes away: they may or may not have been read yet.
                s.insertContent(3, "Right before the outage", 62);
                s.updateTitle(2, "Updated right before the outage");
                STACK.stopPostgres();
                Await.until("the service to notice the outage", TIMEOUT, POLL, cdc::status,
                        st -> !st.running() && st.lastError() != null && st.slotLagBytes() == -1);
                STACK.startPostgres();

                Await.until("the service to run again", TIMEOUT, POLL, cdc::status, ChangeDataCapture.Status::running);
                s.insertContent(4, "After the outage", 63);
                s.insertEvent(4, "like", 200);
                s.deleteContent(1);
                s.awaitStreamed(cdc, "changes from before, during and after the outage");
            }
            s.verify();
        }
    }

    /** A fresh database with the two tables, the changes made to it, and what arrived on Kafka. */
    private static final class Scenario implements AutoCloseable {
        final String database;
        final Path stateDir;
        final List<Expected> expected = new ArrayList<>();
        final TopicLog log;

        Scenario(String database) throws Exception {
            this.database = database;
            this.stateDir = Files.createTempDirectory(STACK.home().root(), database);
            try (Connection admin = DriverManager.getConnection(STACK.postgresUrl(), LocalPostgres.USER, "");
                    Statement st = admin.createStatement()) {
                st.execute("CREATE DATABASE " + database);
            }
            try (Connection db = connect(); Statement st = db.createStatement()) {
                st.execute(DDL);
            }
            List<String> topics = List.of(topic("content"), topic("engagement_events"));
            this.log = new TopicLog(new KafkaConnection(STACK.kafka()), topics, PARTITIONS);
        }

        ChangeDataCapture.Options options() {
            return new ChangeDataCapture.Options(STACK.postgresUrl(database), LocalPostgres.USER, "",
                    List.of("public.content", "public.engagement_events"), database, database + "_slot",
                    database + "_pub", stateDir, new KafkaConnection(STACK.kafka()), PARTITIONS, Duration.ofSeconds(1));
        }

        String topic(String table) {
            return database + ".public." + table;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(STACK.postgresUrl(database), LocalPostgres.USER, "");
        }

        static String contentId(int n) {
            return UUID.nameUUIDFromBytes(("content-" + n).getBytes(StandardCharsets.UTF_8)).toString();
        }

        void insertContent(int n, String title, int lengthSeconds) throws SQLException {
            try (Connection db = connect()) {
                insertContent(db, n, title, lengthSeconds);
            }
        }

        private void insertContent(Connection db, int n, String title, int lengthSeconds) throws SQLException {
            try (PreparedStatement st = db.prepareStatement("INSERT INTO content VALUES (?::uuid, ?, ?, 'video', ?, ?)")) {
                st.setString(1, contentId(n));
                st.setString(2, "slug-" + n);
                st.setString(3, title);
                st.setInt(4, lengthSeconds);
                st.setTimestamp(5, Timestamp.from(Instant.parse("2026-01-01T10:00:00Z").plusSeconds(n)));
                st.executeUpdate();
            }
            expected.add(new Expected("content", "c", contentId(n), title));
        }

        void updateTitle(int n, String title) throws SQLException {
            try (Connection db = connect();
                    PreparedStatement st = db.prepareStatement("UPDATE content SET title = ? WHERE id = ?::uuid")) {
                st.setString(1, title);
                st.setString(2, contentId(n));
                assertThat(st.executeUpdate()).isOne();
            }
            expected.add(new Expected("content", "u", contentId(n), title));
        }

        void deleteContent(int n) throws SQLException {
            try (Connection db = connect();
                    PreparedStatement st = db.prepareStatement("DELETE FROM content WHERE id = ?::uuid")) {
                st.setString(1, contentId(n));
                assertThat(st.executeUpdate()).isOne();
            }
            expected.add(new Expected("content", "d", contentId(n), null));
        }

        void insertEvent(int contentN, String type, Integer durationMs) throws SQLException {
            try (Connection db = connect()) {
                insertEvent(db, contentN, type, durationMs);
            }
        }

        private void insertEvent(Connection db, int contentN, String type, Integer durationMs) throws SQLException {
            try (PreparedStatement st = db.prepareStatement("INSERT INTO engagement_events "
                    + "(content_id, user_id, event_type, event_ts, duration_ms, device, raw_payload) "
                    + "VALUES (?::uuid, gen_random_uuid(), ?, now(), ?, 'tv', ?::jsonb) RETURNING id")) {
                st.setString(1, contentId(contentN));
                st.setString(2, type);
                st.setObject(3, durationMs);
                st.setString(4, "{\"type\": \"" + type + "\", \"n\": " + contentN + "}");
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    expected.add(new Expected("engagement_events", "c", Long.toString(rs.getLong(1)), type));
                }
            }
        }

        /** One transaction: {@code count} events of one type. */
        void insertEvents(int contentN, String type, int count) throws SQLException {
            try (Connection db = connect();
                    PreparedStatement st = db.prepareStatement("INSERT INTO engagement_events "
                            + "(content_id, user_id, event_type, event_ts, duration_ms, device, raw_payload) "
                            + "SELECT ?::uuid, gen_random_uuid(), ?, now(), n, 'web', jsonb_build_object('type', ?::text, 'n', n) "
                            + "FROM generate_series(1, ?) AS n RETURNING id")) {
                st.setString(1, contentId(contentN));
                st.setString(2, type);
                st.setString(3, type);
                st.setInt(4, count);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        expected.add(new Expected("engagement_events", "c", Long.toString(rs.getLong(1)), type));
                    }
                }
            }
        }

        /** One transaction: a content row and its events. */
        void insertContentWithEvents(int n, String title, List<String> types) throws SQLException {
            try (Connection db = connect()) {
                db.setAutoCommit(false);
                insertContent(db, n, title, 10);
                for (String type : types) {
                    insertEvent(db, n, type, 10);
                }
                db.commit();
            }
        }

        /**
         * Until every expected change is on Kafka (snapshot rows count as creates) and every partition has a
         * heartbeat from after the last commit.
         */
        void awaitStreamed(ChangeDataCapture cdc, String what) throws Exception {
            long afterLastCommit = System.currentTimeMillis();
            Set<Expected> wanted = new HashSet<>(expected);
            Await.until(what + " and a later heartbeat in every partition", TIMEOUT, POLL, () -> {
                log.poll();
                Set<Expected> missing = new HashSet<>(wanted);
                missing.removeAll(log.expectedSeen());
                long stale = log.partitions().stream().filter(p -> log.lastHeartbeat(p) < afterLastCommit).count();
                return "missing " + missing.size() + " " + missing.stream().limit(3).toList()
                        + ", partitions without a later heartbeat " + stale + ", " + cdc.status();
            }, seen -> seen.startsWith("missing 0 [], partitions without a later heartbeat 0,"));
        }

        void verify() {
            Set<Expected> seen = log.expectedSeen();
            assertThat(seen).as("every change, nothing else").containsExactlyInAnyOrderElementsOf(new HashSet<>(expected));
            for (Change c : log.changes()) {
                assertThat(c.value().path("source").path("db").asText()).isEqualTo(database);
                if (c.op().equals("d")) {
                    assertThat(c.value().path("after").isNull()).isTrue();
                    assertThat(c.value().path("before").path("id").asText()).isEqualTo(c.id());
                } else {
                    assertThat(c.value().path("after").path("id").asText()).isEqualTo(c.id());
                }
                if (c.op().equals("u")) {
                    // REPLICA IDENTITY DEFAULT: PostgreSQL sends no old row for an update that keeps the key.
                    assertThat(c.value().path("before").isNull()).isTrue();
                }
                JsonNode after = c.value().path("after");
                if (c.table().equals("content") && !after.isNull()) {
                    assertThat(after.path("id").isTextual()).isTrue();
                    assertThat(after.path("length_seconds").isInt()).isTrue();
                    assertThat(after.path("publish_ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
                }
                if (c.table().equals("engagement_events") && !after.isNull()) {
                    assertThat(after.path("id").isIntegralNumber()).isTrue();
                    assertThat(after.path("raw_payload").isTextual()).isTrue();
                    assertThat(readJson(after.path("raw_payload").asText()).path("type").asText())
                            .isEqualTo(after.path("event_type").asText());
                }
            }
            for (TopicPartition p : log.partitions()) {
                log.verifyPartition(p);
            }
            // Per row, the changes arrive in the order they were made.
            Map<String, List<String>> expectedOps = new HashMap<>();
            for (Expected e : expected) {
                expectedOps.computeIfAbsent(e.table() + "/" + e.id(), k -> new ArrayList<>()).add(e.op() + ":" + e.field());
            }
            Map<String, List<String>> actualOps = new HashMap<>();
            for (Change c : log.firstOccurrences()) {
                actualOps.computeIfAbsent(c.table() + "/" + c.id(), k -> new ArrayList<>())
                        .add(c.asExpected().op() + ":" + c.asExpected().field());
            }
            assertThat(actualOps).isEqualTo(expectedOps);
        }

        @Override
        public void close() {
            log.close();
        }
    }

    /** A change the test made: table, op (snapshot reads count as "c"), key, and title or event type. */
    record Expected(String table, String op, String id, String field) {}

    /** A change record read from Kafka. */
    record Change(TopicPartition partition, long offset, String table, String id, JsonNode value) {

        String op() {
            return value.path("op").asText();
        }

        long commitMillis() {
            return value.path("source").path("ts_ms").asLong();
        }

        long lsn() {
            return value.path("source").path("lsn").asLong();
        }

        /** Identifies repeats: the same WAL entry of the same row. */
        String identity() {
            return op() + "/" + table + "/" + id + "/" + lsn();
        }

        Expected asExpected() {
            JsonNode after = value.path("after");
            String field = after.isNull() ? null
                    : table.equals("content") ? after.path("title").asText() : after.path("event_type").asText();
            return new Expected(table, op().equals("r") ? "c" : op(), id, field);
        }
    }

    /** Every record of the table topics, read_committed, per partition in offset order. */
    private static final class TopicLog implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final Map<TopicPartition, List<JsonNode>> records = new HashMap<>();

        TopicLog(KafkaConnection kafka, List<String> topics, int partitionsPerTopic) {
            consumer = new KafkaConsumer<>(kafka.properties(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())));
            for (String topic : topics) {
                for (int p = 0; p < partitionsPerTopic; p++) {
                    partitions.add(new TopicPartition(topic, p));
                    records.put(new TopicPartition(topic, p), new ArrayList<>());
                }
            }
        }

        List<TopicPartition> partitions() {
            return partitions;
        }

        void poll() {
            if (consumer.assignment().isEmpty()) {
                // The topics exist once the service has started; assign only then.
                if (!consumer.listTopics().keySet().containsAll(partitions.stream().map(TopicPartition::topic).toList())) {
                    return;
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                ObjectNode record = JSON.createObjectNode().put("offset", r.offset());
                record.set("key", readJson(new String(r.key(), StandardCharsets.UTF_8)));
                record.set("value", readJson(new String(r.value(), StandardCharsets.UTF_8)));
                records.get(new TopicPartition(r.topic(), r.partition())).add(record);
            }
        }

        List<Change> changes() {
            List<Change> changes = new ArrayList<>();
            for (TopicPartition p : partitions) {
                changes.addAll(changes(p));
            }
            return changes;
        }

        List<Change> changes(TopicPartition p) {
            List<Change> changes = new ArrayList<>();
            for (JsonNode r : records.get(p)) {
                if (!r.path("key").has("heartbeat")) {
                    String table = r.path("value").path("source").path("table").asText();
                    changes.add(new Change(p, r.path("offset").asLong(), table, r.path("key").path("id").asText(),
                            r.path("value")));
                }
            }
            return changes;
        }

        List<Change> firstOccurrences() {
            List<Change> first = new ArrayList<>();
            for (TopicPartition p : partitions) {
                Set<String> seen = new HashSet<>();
                for (Change c : changes(p)) {
                    if (seen.add(c.identity())) {
                        first.add(c);
                    }
                }
            }
            return first;
        }

        Set<Expected> expectedSeen() {
            Set<Expected> seen = new HashSet<>();
            for (Change c : changes()) {
                seen.add(c.asExpected());
            }
            return seen;
        }

        long lastCommitMillis() {
            return firstOccurrences().stream().mapToLong(Change::commitMillis).max().orElse(-1);
        }

        long lastHeartbeat(TopicPartition p) {
            long last = Long.MIN_VALUE;
            for (JsonNode r : records.get(p)) {
                if (r.path("key").has("heartbeat")) {
                    last = r.path("value").path("heartbeat").path("ts_ms").asLong();
                }
            }
            return last;
        }

        /**
         * Heartbeats only move forward, streamed changes arrive in WAL order, and no change committed at or before
         * a heartbeat's time first appears after it.
         */
        void verifyPartition(TopicPartition p) {
            long heartbeatTs = Long.MIN_VALUE;
            int heartbeats = 0;
            long lsn = Long.MIN_VALUE;
            Set<String> seen = new HashSet<>();
            for (JsonNode r : records.get(p)) {
                JsonNode value = r.path("value");
                if (r.path("key").has("heartbeat")) {
                    long ts = value.path("heartbeat").path("ts_ms").asLong();
                    assertThat(ts).as("heartbeat time in %s at offset %s", p, r.path("offset")).isGreaterThanOrEqualTo(heartbeatTs);
                    assertThat(value.path("heartbeat").path("lsn").isIntegralNumber()).isTrue();
                    heartbeatTs = ts;
                    heartbeats++;
                    continue;
                }
                String table = value.path("source").path("table").asText();
                Change c = new Change(p, r.path("offset").asLong(), table, r.path("key").path("id").asText(), value);
                if (!seen.add(c.identity())) {
                    continue; // a repeat after a failure; its first occurrence was checked
                }
                assertThat(c.commitMillis()).as("%s at offset %s committed after the heartbeat before it", p, c.offset())
                        .isGreaterThan(heartbeatTs);
                if (!c.op().equals("r")) {
                    assertThat(c.lsn()).as("WAL order in %s at offset %s", p, c.offset()).isGreaterThanOrEqualTo(lsn);
                    lsn = c.lsn();
                }
            }
            assertThat(heartbeats).as("heartbeats in %s", p).isPositive();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
