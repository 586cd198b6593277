package io.millrace.sink;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL table with a primary key, declared as one list of columns from which everything else is
 * derived: the DDL, the column list of the upserts, the parameter binding, the COPY encoding and the row key
 * (for idempotent upserts and for deduplication within a batch).
 *
 * @param <T> the row type
 */
public final class PostgresTable<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads one column's value from a row. */
    @FunctionalInterface
    public interface Value<T> extends Serializable {
        Object of(T row);
    }

    /** The SQL types the tables use, each with its parameter binding and its CSV encoding for COPY. */
    public enum SqlType {
        TEXT("text", Types.VARCHAR),
        BIGINT("bigint", Types.BIGINT),
        NUMERIC("numeric", Types.NUMERIC),
        BOOLEAN("boolean", Types.BOOLEAN),
        /** Epoch milliseconds (a Long) as a {@code timestamptz}. */
        TIMESTAMPTZ("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE);

        private final String sql;
        private final int jdbcType;

        SqlType(String sql, int jdbcType) {
            this.sql = sql;
            this.jdbcType = jdbcType;
        }

        void bind(PreparedStatement st, int index, Object value) throws SQLException {
            if (value == null) {
                st.setNull(index, jdbcType);
                return;
            }
            switch (this) {
                case TEXT -> st.setString(index, (String) value);
                case BIGINT -> st.setLong(index, ((Number) value).longValue());
                case NUMERIC -> st.setBigDecimal(index, (BigDecimal) value);
                case BOOLEAN -> st.setBoolean(index, (Boolean) value);
                case TIMESTAMPTZ -> st.setObject(index,
                        OffsetDateTime.ofInstant(Instant.ofEpochMilli((Long) value), ZoneOffset.UTC));
                default -> throw new IllegalStateException(name());
            }
        }

        /** PostgreSQL's CSV COPY format: an unquoted empty field is NULL, text is always quoted. */
        void appendCsv(CopyRows csv, Object value) {
            if (value == null) {
                return;
            }
            switch (this) {
                case TEXT -> csv.quotedText((String) value);
                case NUMERIC -> csv.plainDecimal((BigDecimal) value);
                case TIMESTAMPTZ -> csv.utcTimestamp((Long) value);
                case BIGINT -> csv.decimal(((Number) value).longValue());
                case BOOLEAN -> csv.ascii((Boolean) value ? "true" : "false");
                default -> throw new IllegalStateException(name());
            }
        }
    }

    /** One column: its name, type, whether it may be null, and how a row gives its value. */
    public record Column<T>(String name, SqlType type, boolean notNull, Value<T> value) implements Serializable {}

    private final String name;
    private final List<Column<T>> columns;
    private final List<String> keyColumns;
    private final String touchedColumn;
    private final List<String> columnNames;
    private final int[] keyIndexes;

    private PostgresTable(String name, List<Column<T>> columns, List<String> keyColumns, String touchedColumn) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.keyColumns = List.copyOf(keyColumns);
        this.touchedColumn = touchedColumn;
        this.columnNames = this.columns.stream().map(Column::name).toList();
        this.keyIndexes = this.keyColumns.stream().mapToInt(columnNames::indexOf).toArray();
        for (int i = 0; i < keyIndexes.length; i++) {
            if (keyIndexes[i] < 0) {
                throw new IllegalArgumentException("key column " + this.keyColumns.get(i) + " is not a column of " + name);
            }
        }
    }

    public static <T> Builder<T> named(String name) {
        return new Builder<>(name);
    }

    /** Collects a table's columns in order. */
    public static final class Builder<T> {
        private final String name;
        private final List<Column<T>> columns = new ArrayList<>();
        private final List<String> key = new ArrayList<>();
        private String touched;

        private Builder(String name) {
            this.name = name;
        }

        /** A primary-key column (never null). */
        public Builder<T> key(String column, SqlType type, Value<T> value) {
            key.add(column);
            return column(column, type, true, value);
        }

        public Builder<T> notNull(String column, SqlType type, Value<T> value) {
            return column(column, type, true, value);
        }

        public Builder<T> nullable(String column, SqlType type, Value<T> value) {
            return column(column, type, false, value);
        }

        /** A {@code timestamptz} column the database sets to {@code now()} on every insert and update. */
        public Builder<T> touched(String column) {
            touched = column;
            return this;
        }

        private Builder<T> column(String column, SqlType type, boolean notNull, Value<T> value) {
            columns.add(new Column<>(column, type, notNull, value));
            return this;
        }

        public PostgresTable<T> build() {
            return new PostgresTable<>(name, columns, key, touched);
        }
    }

    public String name() {
        return name;
    }

    /** {@code CREATE TABLE IF NOT EXISTS ...}; run once per writer under a lock. */
    public String ddl() {
        List<String> lines = new ArrayList<>();
        for (Column<T> c : columns) {
            lines.add("    " + c.name() + " " + c.type().sql + (c.notNull() ? " NOT NULL" : ""));
        }
        if (touchedColumn != null) {
            lines.add("    " + touchedColumn + " timestamptz NOT NULL DEFAULT now()");
        }
        lines.add("    PRIMARY KEY (" + String.join(", ", keyColumns) + ")");
        return "CREATE TABLE IF NOT EXISTS " + name + " (\n" + String.join(",\n", lines) + "\n)";
    }

    /** Column names in the order {@link #bind} and {@link #appendCsv} write them. */
    public List<String> columns() {
        return columnNames;
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /** Set to {@code now()} on every insert and update, or null. */
    public String touchedColumn() {
        return touchedColumn;
    }

    /** Rows with equal keys replace each other in a batch (the later wins). */
    public Object key(T row) {
        if (keyIndexes.length == 1) {
            return columns.get(keyIndexes[0]).value().of(row);
        }
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int index : keyIndexes) {
            key.add(columns.get(index).value().of(row));
        }
        return key;
    }

    /** Binds {@link #columns()} to parameters {@code 1..n}. */
    public void bind(PreparedStatement statement, T row) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Column<T> c = columns.get(i);
            c.type().bind(statement, i + 1, c.value().of(row));
        }
    }

    /** Appends the row as one CSV line (for COPY), with a trailing newline. */
    void appendCsv(CopyRows csv, T row) {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                csv.ascii(',');
            }
            Column<T> c = columns.get(i);
            c.type().appendCsv(csv, c.value().of(row));
        }
        csv.ascii('\n');
    }

    /** True if {@code table} exists in the connection's search path. */
    public static boolean exists(Connection db, String table) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
