package io.millrace.pipeline.engagement;

import io.millrace.config.PostgresConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The source tables whose changes the pipeline captures, as the original defines them (with its indexes),
 * created if missing. {@code engagement_events.content_id} is deliberately not a foreign key here: a
 * capture pipeline must cope with events about content that is unknown or was deleted, and the generator
 * writes both.
 */
public final class SourceSchema {

    static final List<String> DDL = List.of("""
            CREATE TABLE IF NOT EXISTS content (
                id              UUID PRIMARY KEY,
                slug            TEXT UNIQUE NOT NULL,
                title           TEXT        NOT NULL,
                content_type    TEXT        NOT NULL,
                length_seconds  INTEGER,
                publish_ts      TIMESTAMPTZ NOT NULL
            )""", """
            CREATE TABLE IF NOT EXISTS engagement_events (
                id           BIGSERIAL PRIMARY KEY,
                content_id   UUID,
                user_id      UUID,
                event_type   TEXT NOT NULL,
                event_ts     TIMESTAMPTZ NOT NULL,
                duration_ms  INTEGER,
                device       TEXT,
                raw_payload  JSONB
            )""",
            "CREATE INDEX IF NOT EXISTS idx_content_type ON content (content_type)",
            "CREATE INDEX IF NOT EXISTS idx_content_publish_ts ON content (publish_ts)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_content_id ON engagement_events (content_id)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_event_type ON engagement_events (event_type)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_event_ts ON engagement_events (event_ts)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_user_id ON engagement_events (user_id)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_device ON engagement_events (device)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_content_event ON engagement_events (content_id, event_type)",
            "CREATE INDEX IF NOT EXISTS idx_engagement_type_time ON engagement_events (event_type, event_ts)");

    /** The captured tables, as {@code schema.table}. */
    public static final List<String> TABLES = List.of("public.content", "public.engagement_events");

    private SourceSchema() {}

    /** Creates the database (on the same server) and the tables if they are missing. */
    public static void ensure(PostgresConnection source) throws SQLException {
        String url = source.url();
        int slash = url.lastIndexOf('/');
        String database = url.substring(slash + 1).replaceAll("\\?.*$", "");
        PostgresConnection server = new PostgresConnection(url.substring(0, slash + 1) + "postgres", source.user(),
                source.password(), source.sslMode(), source.sslRootCert());
        try (Connection db = server.open()) {
            db.setAutoCommit(true);
            try (PreparedStatement st = db.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                st.setString(1, database);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement create = db.createStatement()) {
                            // The name comes from the configuration, checked to be a plain identifier.
                            if (!database.matches("[a-z_][a-z0-9_]*")) {
                                throw new SQLException("database name '" + database + "' is not a plain identifier");
                            }
                            try {
                                create.execute("CREATE DATABASE " + database);
                            } catch (SQLException e) {
                                if (!"42P04".equals(e.getSQLState())) {
                                    throw e; // 42P04: created by another process meanwhile
                                }
                            }
                        }
                    }
                }
            }
        }
        try (Connection db = source.open(); Statement st = db.createStatement()) {
            db.setAutoCommit(true);
            for (String ddl : DDL) {
                st.execute(ddl);
            }
        }
    }
}
