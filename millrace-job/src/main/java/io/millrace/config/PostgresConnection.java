package io.millrace.config;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A PostgreSQL JDBC endpoint; the password never appears in {@link #toString()}. */
public record PostgresConnection(String url, String user, String password) implements Serializable {

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        // Multi-row INSERTs out of JDBC batches: several times faster for upserts.
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", "millrace");
        return DriverManager.getConnection(url, props);
    }

    @Override
    public String toString() {
        return "PostgresConnection[url=" + url + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "(none)" : "****") + "]";
    }
}
