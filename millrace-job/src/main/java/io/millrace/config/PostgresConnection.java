package io.millrace.config;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL JDBC endpoint with its TLS settings; the password never appears in {@link #toString()}.
 *
 * @param sslMode the driver's {@code sslmode} (disable, allow, prefer, require, verify-ca, verify-full), or
 *     empty for the driver's default
 * @param sslRootCert the CA certificate file for verify-ca / verify-full, or empty
 */
public record PostgresConnection(String url, String user, String password, String sslMode, String sslRootCert)
        implements Serializable {

    public PostgresConnection(String url, String user, String password) {
        this(url, user, password, "", "");
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        if (sslMode != null && !sslMode.isEmpty()) {
            props.setProperty("sslmode", sslMode);
        }
        if (sslRootCert != null && !sslRootCert.isEmpty()) {
            props.setProperty("sslrootcert", sslRootCert);
        }
        // Multi-row INSERTs out of JDBC batches: several times faster for upserts.
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", "millrace");
        return DriverManager.getConnection(url, props);
    }

    @Override
    public String toString() {
        return "PostgresConnection[url=" + url + ", user=" + user + ", password="
                + (password == null || password.isEmpty() ? "(none)" : "****")
                + (sslMode == null || sslMode.isEmpty() ? "" : ", sslmode=" + sslMode) + "]";
    }
}
