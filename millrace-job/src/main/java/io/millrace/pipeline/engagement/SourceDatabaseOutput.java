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
import java.time.Instant;
import java.util.UUID;

/**
 * Writes generated rows into the source database, as the original generator does: batched inserts, each
 * batch one transaction, in the order generated (a row change of another kind first sends what is batched,
 * so the commit order is the generated order).
 */
public final class SourceDatabaseOutput implements GeneratorOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;

    private final Connection db;
    private final PreparedStatement insertContent;
    private final PreparedStatement updateContent;
    private final PreparedStatement deleteContent;
    private final PreparedStatement insertEvent;
    private PreparedStatement batched;
    private int pending;

    public SourceDatabaseOutput(PostgresConnection source) {
        try {
            SourceSchema.ensure(source);
            db = source.open();
            db.setAutoCommit(false);
            insertContent = db.prepareStatement("INSERT INTO content (id, slug, title, content_type, length_seconds, "
                    + "publish_ts) VALUES (?, ?, ?, ?, ?, ?)");
            updateContent = db.prepareStatement("UPDATE content SET title = ?, content_type = ?, length_seconds = ? "
                    + "WHERE id = ?");
            deleteContent = db.prepareStatement("DELETE FROM content WHERE id = ?");
            insertEvent = db.prepareStatement("INSERT INTO engagement_events (content_id, user_id, event_type, event_ts, "
                    + "duration_ms, device, raw_payload) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write to the source database " + source.url() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void send(GeneratedRecord record) {
        try {
            JsonNode row = JSON.readTree(record.value());
            PreparedStatement st = record.target() == GeneratedRecord.Target.MAIN ? event(row) : content(row);
            if (batched != null && batched != st) {
                batched.executeBatch();
            }
            st.addBatch();
            batched = st;
            if (++pending >= BATCH) {
                commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("the source database rejected a generated row: " + e.getMessage(), e);
        }
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

    private void commit() throws SQLException {
        if (batched != null) {
            batched.executeBatch();
            batched = null;
        }
        db.commit();
        pending = 0;
    }

    @Override
    public void flush() {
        try {
            commit();
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
        try {
            commit();
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing the source database connection failed: " + e.getMessage(), e);
        }
    }
}
