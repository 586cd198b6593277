package io.millrace.stack;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.millrace.config.KafkaConnection;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change data capture from PostgreSQL into Kafka: Debezium's embedded engine reads the tables' changes through a
 * pgoutput replication slot and every change goes, as the plain Debezium envelope keyed by the row's primary key,
 * to topic {@code <topicPrefix>.<schema>.<table>}; at least once, with offsets stored under {@code stateDir} only
 * after Kafka has the changes. Every heartbeat interval each partition of each table topic gets a heartbeat
 * {@code {"heartbeat":{"ts_ms":T,"lsn":L}}} written after every change of every transaction committed before T,
 * so a consumer may treat it as a watermark. The engine is restarted with backoff when it fails (PostgreSQL
 * restarted, Kafka unreachable).
 *
 * <p>Tables keep their replica identity: with PostgreSQL's default an update carries {@code "before":null} and a
 * delete's {@code before} holds only the key columns (Debezium fills the other NOT NULL columns with empty values,
 * which are not the old row). Needs PostgreSQL 13 or later with {@code wal_level=logical}.
 */
public final class ChangeDataCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeDataCapture.class);

    /** Prefix of the logical decoding messages that move the stream forward while the tables are idle. */
    static final String PROGRESS_MESSAGE_PREFIX = "millrace-cdc-progress";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_PENDING_TICKS = 1_000;

    /**
     * What to capture and where to write it.
     *
     * @param tables tables as "schema.table"; topics are {@code <topicPrefix>.<schema>.<table>}
     * @param stateDir where the engine's offsets are kept between runs
     * @param partitions partitions of each table topic the service creates
     */
    public record Options(String jdbcUrl, String user, String password, List<String> tables, String topicPrefix,
            String slotName, String publicationName, Path stateDir, KafkaConnection kafka, int partitions,
            Duration heartbeatInterval) {

        public Options {
            tables = List.copyOf(tables);
            for (String table : tables) {
                if (table.split("\\.", -1).length != 2) {
                    throw new IllegalArgumentException("table " + table + " is not schema.table");
                }
            }
            if (partitions < 1 || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new IllegalArgumentException("partitions and the heartbeat interval must be positive");
            }
        }

        /** The topic of a table given as "schema.table". */
        public String topic(String table) {
            return topicPrefix + "." + table;
        }

        /** Names the password's presence, never its value. */
        @Override
        public String toString() {
            return "Options[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
                    + (password == null || password.isEmpty() ? "(none)" : "****") + ", tables=" + tables
                    + ", topicPrefix=" + topicPrefix + ", slotName=" + slotName + ", publicationName=" + publicationName
                    + ", stateDir=" + stateDir + ", kafka=" + kafka + ", partitions=" + partitions
                    + ", heartbeatInterval=" + heartbeatInterval + "]";
        }
    }

    /**
     * What the service is doing.
     *
     * @param slotLagBytes WAL the slot still holds for this service ({@code -1} if unknown)
     * @param changesForwarded change records written to Kafka by this service object (repeats after a failure count)
     * @param lastCommitMillis commit time of the last change written, or -1
     * @param lastError the last failure of the engine, or null
     */
    public record Status(boolean running, long slotLagBytes, long changesForwarded, long lastCommitMillis,
            String lastError) {}

    private final Options options;
    private final Set<String> tableTopics;
    private final HeartbeatTicks ticks = new HeartbeatTicks(MAX_PENDING_TICKS);
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService ticker;
    private final Thread supervisor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong changesForwarded = new AtomicLong();
    private final AtomicLong processedLsn = new AtomicLong(-1);

    private volatile boolean running;
    private volatile long slotLagBytes = -1;
    private volatile long lastCommitMillis = -1;
    private volatile long lastHeartbeatMillis = Long.MIN_VALUE;
    private volatile String lastError;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private Connection tickerDb;

    private ChangeDataCapture(Options options) {
        this.options = options;
        this.tableTopics = new LinkedHashSet<>();
        for (String table : options.tables()) {
            tableTopics.add(options.topic(table));
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "millrace-cdc-ticker"));
        this.supervisor = daemon(this::supervise, "millrace-cdc-engine");
    }

    /**
     * Creates the publication and the topics if they are missing, then starts capturing: the first start of a
     * slot snapshots the tables' rows (op "r"), later starts resume from the stored offset.
     */
    public static ChangeDataCapture start(Options options) throws Exception {
        Files.createDirectories(options.stateDir());
        try (Connection db = open(options)) {
            ensurePublication(db, options.publicationName(), options.tables());
        }
        List<TopicSpec> topics = new ArrayList<>();
        for (String table : options.tables()) {
            topics.add(new TopicSpec(options.topic(table), options.partitions(), false));
        }
        TopicAdmin.ensure(options.kafka(), topics);
        ChangeDataCapture cdc = new ChangeDataCapture(options);
        cdc.supervisor.start();
        long interval = options.heartbeatInterval().toMillis();
        cdc.ticker.scheduleAtFixedRate(cdc::tick, 0, interval, TimeUnit.MILLISECONDS);
        return cdc;
    }

    /**
     * Waits until the engine has stored a position, which the first heartbeat's batch does. Until then a restart
     * would take a new snapshot: rows written meanwhile would arrive as snapshot reads stamped with the snapshot's
     * time, and updates and deletes between them would be folded away.
     */
    public void awaitPositionStored(Duration timeout) throws InterruptedException {
        Path offsets = options.stateDir().resolve("offsets.dat");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Files.size(offsets) > 0) {
                    return;
                }
            } catch (IOException e) {
                // Not written yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the capture stored no position within " + timeout.toSeconds() + " s"
                        + (lastError == null ? "" : ": " + lastError));
            }
            Thread.sleep(100);
        }
    }

    public Status status() {
        return new Status(running, slotLagBytes, changesForwarded.get(), lastCommitMillis, lastError);
    }

    /** WAL bytes between the server's current position and what the slot's consumer has confirmed; -1 if no slot. */
    public static long slotLagBytes(Connection db, String slotName) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)"
                + "::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slotName);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                long lag = rs.getLong(1);
                return rs.wasNull() ? -1 : lag;
            }
        }
    }

    /** Stops the engine gracefully (it commits what it has handed over) and the heartbeat ticker. */
    @Override
    public void close() {
        closing.countDown();
        ticker.shutdownNow();
        stopEngine();
        try {
            supervisor.join(TimeUnit.MINUTES.toMillis(2));
            ticker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeTickerDb();
        running = false;
    }

    // ---- engine supervision

    private void supervise() {
        Duration backoff = FIRST_BACKOFF;
        while (closing.getCount() > 0) {
            boolean started = runEngineOnce();
            running = false;
            if (started) {
                backoff = FIRST_BACKOFF;
            }
            try {
                if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Runs one engine until it stops; true if its task had started. */
    private boolean runEngineOnce() {
        AtomicBoolean started = new AtomicBoolean();
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(options.kafka().properties(producerSettings()))) {
            ChangeForwarder forwarder = new ChangeForwarder(producer, tableTopics, ticks, new ForwarderProgress());
            engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(debeziumProperties())
                    .notifying(forwarder)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            started.set(true);
                            running = true;
                        }
                    })
                    .using((success, message, error) -> {
                        if (!success || error != null) {
                            lastError = error != null ? rootMessage(error) : message;
                        }
                    })
                    .build();
            // close() counts down before it looks at the engine: one of the two sees the other.
            if (closing.getCount() == 0) {
                return false;
            }
            engine.run();
        } catch (RuntimeException e) {
            lastError = rootMessage(e);
        } finally {
            engine = null;
        }
        if (closing.getCount() > 0) {
            LOG.warn("change data capture stopped ({}); restarting", lastError);
        }
        return started.get();
    }

    /**
     * Asks the running engine to stop. Debezium refuses while its task is starting (it may be opening
     * connections), so that state is waited out.
     */
    private void stopEngine() {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (true) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> current = engine;
            if (current == null) {
                return;
            }
            try {
                current.close();
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("cannot stop the change data capture engine: {}", e.getMessage());
                    return;
                }
            } catch (IOException e) {
                LOG.warn("cannot stop the change data capture engine cleanly: {}", e.getMessage());
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Map<String, Object> producerSettings() {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.CLIENT_ID_CONFIG, "millrace-cdc-" + options.slotName(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    private Properties debeziumProperties() {
        URI db = jdbcTarget(options.jdbcUrl());
        Properties p = new Properties();
        p.setProperty("name", "millrace-cdc-" + options.slotName());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", options.stateDir().resolve("offsets.dat").toString());
        // Commit after every batch: the batch is in Kafka by then, and a smaller replay after a crash.
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("database.hostname", db.getHost());
        p.setProperty("database.port", Integer.toString(db.getPort() < 0 ? 5432 : db.getPort()));
        p.setProperty("database.dbname", db.getPath().substring(1));
        p.setProperty("database.user", options.user());
        p.setProperty("database.password", options.password() == null ? "" : options.password());
        p.setProperty("topic.prefix", options.topicPrefix());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", options.slotName());
        p.setProperty("publication.name", options.publicationName());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", String.join(",", options.tables().stream().map(Pattern::quote).toList()));
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("heartbeat.interval.ms", "1000");
        p.setProperty("message.prefix.include.list", Pattern.quote(PROGRESS_MESSAGE_PREFIX));
        // Fail instead of retrying inside the engine: the supervisor restarts it and status() can tell.
        p.setProperty("errors.max.retries", "0");
        return p;
    }

    /** Shared state the forwarders of successive engine runs report into. */
    private final class ForwarderProgress implements ChangeForwarder.Progress {
        @Override
        public long processedLsn() {
            return processedLsn.get();
        }

        @Override
        public void forwarded(long changes, long commitMillis, long lsn) {
            changesForwarded.addAndGet(changes);
            if (commitMillis >= 0) {
                lastCommitMillis = commitMillis;
            }
            processedLsn.accumulateAndGet(lsn, Math::max);
        }

        @Override
        public long lastHeartbeatMillis() {
            return lastHeartbeatMillis;
        }

        @Override
        public void heartbeatWritten(long tsMillis) {
            lastHeartbeatMillis = tsMillis;
        }
    }

    // ---- heartbeat ticks

    /**
     * One heartbeat tick: T, then the transactions in progress and the WAL insert position, then a logical
     * decoding message above that position, so the stream passes it even when the captured tables are idle.
     */
    private void tick() {
        try {
            // One millisecond back: a commit at T.4 ms has ts_ms T and must not count as before heartbeat T.
            long ts = clock.millis() - 1;
            Connection db = tickerDb();
            HeartbeatTicks.Reading reading = read(db);
            ticks.add(ts, reading);
            if (!reading.inProgress().isEmpty()) {
                ticks.recheck(read(db));
            }
            try (PreparedStatement st = db.prepareStatement("SELECT pg_logical_emit_message(false, ?, '')")) {
                st.setString(1, PROGRESS_MESSAGE_PREFIX);
                st.execute();
            }
            slotLagBytes = slotLagBytes(db, options.slotName());
        } catch (SQLException | RuntimeException e) {
            slotLagBytes = -1;
            closeTickerDb();
        }
    }

    private static HeartbeatTicks.Reading read(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            String snapshot;
            try (ResultSet rs = st.executeQuery("SELECT pg_current_snapshot()::text")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            // Read after the snapshot: commits it shows finished lie below this position.
            try (ResultSet rs = st.executeQuery("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")) {
                rs.next();
                return HeartbeatTicks.Reading.of(snapshot, rs.getLong(1));
            }
        }
    }

    private Connection tickerDb() throws SQLException {
        if (tickerDb == null || tickerDb.isClosed()) {
            tickerDb = open(options);
        }
        return tickerDb;
    }

    private void closeTickerDb() {
        if (tickerDb != null) {
            try {
                tickerDb.close();
            } catch (SQLException e) {
                // Already broken; a new one is opened on the next tick.
            }
            tickerDb = null;
        }
    }

    // ---- setup helpers

    private static Connection open(Options options) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", options.user());
        if (options.password() != null && !options.password().isEmpty()) {
            props.setProperty("password", options.password());
        }
        props.setProperty("ApplicationName", "millrace-cdc");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(options.jdbcUrl(), props);
    }

    /** Creates the publication for the tables, or adds the tables an existing one lacks. */
    static void ensurePublication(Connection db, String publication, List<String> tables) throws SQLException {
        boolean exists;
        try (PreparedStatement st = db.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                exists = rs.next();
            }
        }
        List<String> missing = new ArrayList<>(tables);
        if (exists) {
            try (PreparedStatement st = db.prepareStatement(
                    "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
                st.setString(1, publication);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        missing.remove(rs.getString(1));
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        // Identifiers cannot be bound as parameters: each is quoted instead.
        List<String> quoted = missing.stream().map(ChangeDataCapture::quoteTable).toList();
        String sql = (exists ? "ALTER PUBLICATION " + quoteIdentifier(publication) + " ADD TABLE "
                : "CREATE PUBLICATION " + quoteIdentifier(publication) + " FOR TABLE ") + String.join(", ", quoted);
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }

    private static String quoteTable(String table) {
        String[] parts = table.split("\\.", -1);
        return quoteIdentifier(parts[0]) + "." + quoteIdentifier(parts[1]);
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Host, port and database of a {@code jdbc:postgresql://host:port/db?...} URL. */
    static URI jdbcTarget(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL with one host and a database is needed: " + jdbcUrl);
        }
        return uri;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root.getMessage() + ")";
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
