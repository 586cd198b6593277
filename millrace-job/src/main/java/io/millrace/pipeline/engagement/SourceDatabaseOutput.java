package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.PostgresConnection;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes generated rows into the source database, as the original generator does: batched inserts, each
 * batch one transaction, in the order generated (a row change of another kind first sends what is batched,
 * so the commit order is the generated order). A lost connection (the database restarting) is waited out
 * and the batch written again on a new one; a batch whose commit was in doubt may then hold its events
 * twice, as two rows with their own ids, which the pipeline and {@code verify} both count as what they are.
 */
public final class SourceDatabaseOutput implements GeneratorOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final Duration RECONNECT_FOR = Duration.ofMinutes(5);

    private final PostgresConnection source;
    private final List<GeneratedRecord> pending = new ArrayList<>();
    private Connection db;
    private PreparedStatement insertContent;
    private PreparedStatement updateContent;
    private PreparedStatement deleteContent;
    private PreparedStatement insertEvent;

    public SourceDatabaseOutput(PostgresConnection source) {
        this.source = source;
        try {
            SourceSchema.ensure(source);
            connect();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write to the source database " + source.url() + ": " + e.getMessage(), e);
        }
    }

    private void connect() throws SQLException {
        db = source.open();
        db.setAutoCommit(false);
        // A content row written again after a commit in doubt is already there.
        insertContent = db.prepareStatement("INSERT INTO content (id, slug, title, content_type, length_seconds, "
                + "publish_ts) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
        updateContent = db.prepareStatement("UPDATE content SET title = ?, content_type = ?, length_seconds = ? "
                + "WHERE id = ?");
        deleteContent = db.prepareStatement("DELETE FROM content WHERE id = ?");
        insertEvent = db.prepareStatement("INSERT INTO engagement_events (content_id, user_id, event_type, event_ts, "
                + "duration_ms, device, raw_payload) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)");
    }

    @Override
    public String mainTarget() {
        return "engagement_events (" + source.url() + ")";
    }

    @Override
    public String referenceTarget() {
        return "content";
    }

    @Override
    public void send(GeneratedRecord record) {
        pending.add(record);
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    /** Writes the pending rows in one transaction, on a new connection after a lost one. */
    private void write() throws SQLException, IOException {
        long deadline = System.nanoTime() + RECONNECT_FOR.toNanos();
        long backoff = 500;
        while (true) {
            try {
                if (db == null) {
                    connect();
                    System.err.println("generator: connected to the source database again; writing the batch again");
                }
                PreparedStatement batched = null;
                for (GeneratedRecord record : pending) {
                    JsonNode row = JSON.readTree(record.value());
                    PreparedStatement st = record.target() == GeneratedRecord.Target.MAIN ? event(row) : content(row);
                    if (batched != null && batched != st) {
                        batched.executeBatch();
                    }
                    st.addBatch();
                    batched = st;
                }
                if (batched != null) {
                    batched.executeBatch();
                }
                db.commit();
                pending.clear();
                return;
            } catch (SQLException e) {
                if (!connectionLost(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                if (db != null) {
                    System.err.println("generator: lost the source database (" + e.getMessage() + "); retrying for up to "
                            + RECONNECT_FOR.toMinutes() + " min");
                    closeQuietly();
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    /** Connection failures (class 08), the server shutting down (57P0x) or a connection closed under us. */
    private boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        boolean closed;
        try {
            closed = db == null || db.isClosed();
        } catch (SQLException ignored) {
            closed = true;
        }
        return closed || state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private void closeQuietly() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // It is gone either way.
        }
        db = null;
    }

    private PreparedStatement event(JsonNode row) throws SQLException {
        insertEvent.setObject(1, UUID.fromString(row.get("content_id").asText()));
        insertEvent.setObject(2, UUID.fromString(row.get("user_id").asText()));
        insertEvent.setString(3, row.get("event_type").asText());
        insertEvent.setTimestamp(4, Timestamp.from(Instant.parse(row.get("event_ts").asText())));
        setInteger(insertEvent, 5, row.get("duration_ms"));
        insertEvent.setString(6, row.get("device").asText());
        insertEvent.setString(7, row.get("raw_payload").toString());
        return insertEvent;
    }

    private PreparedStatement content(JsonNode row) throws SQLException {
        UUID id = UUID.fromString(row.get("id").asText());
        switch (row.get("op").asText()) {
            case "insert" -> {
                insertContent.setObject(1, id);
                insertContent.setString(2, row.get("slug").asText());
                insertContent.setString(3, row.get("title").asText());
                insertContent.setString(4, row.get("content_type").asText());
                setInteger(insertContent, 5, row.get("length_seconds"));
                insertContent.setTimestamp(6, Timestamp.from(Instant.parse(row.get("publish_ts").asText())));
                return insertContent;
            }
            case "update" -> {
                updateContent.setString(1, row.get("title").asText());
                updateContent.setString(2, row.get("content_type").asText());
                setInteger(updateContent, 3, row.get("length_seconds"));
                updateContent.setObject(4, id);
                return updateContent;
            }
            default -> {
                deleteContent.setObject(1, id);
                return deleteContent;
            }
        }
    }

    private static void setInteger(PreparedStatement st, int index, JsonNode value) throws SQLException {
        if (value == null || value.isNull()) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setInt(index, value.intValue());
        }
    }

    @Override
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("the source database rejected generated rows: " + e.getMessage(), e);
        }
    }

    @Override
    public int closingRecords() {
        return 0;
    }

    @Override
    public void close() {
        flush();
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("closing the source database connection failed: " + e.getMessage(), e);
        }
    }
}
