package io.millrace.cli;

import io.millrace.config.WarehouseConnection;
import io.millrace.sink.WarehouseReader;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * SQL over the warehouse with an in-memory DuckDB: each table of the namespace becomes a view of its current
 * snapshot's Parquet files, listed with Iceberg's Java API (DuckDB's own Iceberg extension cannot be installed
 * offline). Correct while the tables have no delete files, which our append-only sinks never write; a table
 * with some is refused.
 */
public final class WarehouseQuery implements AutoCloseable {

    static final String FILL_HINT = "fill it with `./millrace demo --pipeline engagement`";

    private final Connection db;
    private final List<String> tables;
    private final String where;

    private WarehouseQuery(Connection db, List<String> tables, String where) {
        this.db = db;
        this.tables = tables;
        this.where = where;
    }

    /** Functions of a result set that may throw what JDBC throws. */
    @FunctionalInterface
    public interface ResultReader<R> {
        R read(ResultSet rs) throws SQLException;
    }

    /** Views of every table of the warehouse's namespace; a one-line error when there is none. */
    public static WarehouseQuery open(WarehouseConnection warehouse) throws SQLException {
        String where = "namespace " + warehouse.namespace() + " of the warehouse "
                + (warehouse.path().isEmpty() ? warehouse.uri() : warehouse.path());
        List<String> names = new ArrayList<>();
        Catalog catalog = warehouse.openCatalog();
        try {
            for (TableIdentifier id : catalog.listTables(warehouse.icebergNamespace())) {
                names.add(id.name());
            }
        } catch (NoSuchNamespaceException e) {
            // Nothing written yet: the same as no tables.
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the warehouse catalog failed", e);
                }
            }
        }
        if (names.isEmpty()) {
            throw new UserError("there are no tables in " + where + "; " + FILL_HINT);
        }
        names.sort(null);
        Connection db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = db.createStatement()) {
            // Timestamps print the same on every machine.
            st.execute("SET TimeZone = 'UTC'");
            for (String name : names) {
                try (WarehouseReader reader = WarehouseReader.open(warehouse, name)) {
                    st.execute(viewSql(name, reader.table().schema().columns(), localFiles(name, reader.dataFiles())));
                }
            }
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return new WarehouseQuery(db, List.copyOf(names), where);
    }

    /** The tables there are views of, sorted. */
    public List<String> tables() {
        return tables;
    }

    /**
     * Runs {@code sql} and hands its result to {@code reader}; a statement without a result gives null. A query
     * that names a table the warehouse does not have is a one-line error that lists the tables there are.
     */
    public <R> R query(String sql, ResultReader<R> reader) throws SQLException {
        try (Statement st = db.createStatement()) {
            if (!st.execute(sql)) {
                return null;
            }
            try (ResultSet rs = st.getResultSet()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").trim();
            if (message.contains("Table with name") && message.contains("does not exist")) {
                throw new UserError(message + " The tables in " + where + " are " + String.join(", ", tables)
                        + "; " + FILL_HINT + ".");
            }
            throw new UserError("DuckDB: " + message);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    /**
     * A view of the table's columns, in schema order, over its data files; an empty table's view has the columns
     * and no rows. {@code union_by_name}: a file written before a column was added reads it as null.
     */
    static String viewSql(String table, List<Types.NestedField> columns, List<Path> files) {
        StringBuilder sql = new StringBuilder("CREATE VIEW ").append(quote(table)).append(" AS SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            Types.NestedField c = columns.get(i);
            sql.append(i == 0 ? "" : ", ");
            if (files.isEmpty()) {
                sql.append("CAST(NULL AS ").append(duckType(table, c)).append(") AS ").append(quote(c.name()));
            } else {
                sql.append(quote(c.name()));
            }
        }
        if (files.isEmpty()) {
            return sql.append(" LIMIT 0").toString();
        }
        sql.append(" FROM read_parquet([");
        for (int i = 0; i < files.size(); i++) {
            // DDL takes no parameters: the paths (ours, from the catalog) are quoted as SQL string literals.
            sql.append(i == 0 ? "" : ", ").append('\'').append(files.get(i).toString().replace("'", "''")).append('\'');
        }
        return sql.append("], union_by_name = true)").toString();
    }

    private static List<Path> localFiles(String table, List<String> locations) {
        List<Path> files = new ArrayList<>();
        for (String location : locations) {
            URI uri = URI.create(location.startsWith("file:/") && !location.startsWith("file://")
                    ? "file://" + location.substring("file:".length()) : location);
            if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
                throw new UserError("warehouse table " + table + " has files at " + location
                        + ": sql --warehouse reads files of this machine only");
            }
            files.add(uri.getScheme() == null ? Path.of(location) : Path.of(uri));
        }
        return files;
    }

    private static String duckType(String table, Types.NestedField column) {
        Type type = column.type();
        return switch (type.typeId()) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMPTZ" : "TIMESTAMP";
            case STRING -> "VARCHAR";
            case UUID -> "UUID";
            case BINARY, FIXED -> "BLOB";
            case DECIMAL -> "DECIMAL(" + ((Types.DecimalType) type).precision() + ", " + ((Types.DecimalType) type).scale() + ")";
            default -> throw new UserError("warehouse table " + table + ": column " + column.name() + " has type "
                    + type.toString().toLowerCase(Locale.ROOT) + ", which sql --warehouse cannot show for an empty table");
        };
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
