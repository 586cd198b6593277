package io.millrace.sink;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How rows of type {@code T} map onto one PostgreSQL table with a primary key: the DDL, the columns in
 * binding order, the key (for idempotent upserts and for deduplication within a batch) and the binding.
 */
public interface PostgresTable<T> extends Serializable {

    String name();

    /** {@code CREATE TABLE IF NOT EXISTS ...} (and any indexes); run once per writer under a lock. */
    String ddl();

    /** Column names in the order {@link #bind} and {@link #appendCsv} write them. */
    List<String> columns();

    List<String> keyColumns();

    /** Set to {@code now()} on every insert and update, if not null. */
    default String touchedColumn() {
        return null;
    }

    /** Rows with equal keys replace each other in a batch (the later wins). */
    Object key(T row);

    /** Binds {@link #columns()} to parameters {@code 1..n}. */
    void bind(PreparedStatement statement, T row) throws SQLException;

    /** Appends the row as one CSV line (for COPY), with a trailing newline. */
    void appendCsv(StringBuilder csv, T row);
}
