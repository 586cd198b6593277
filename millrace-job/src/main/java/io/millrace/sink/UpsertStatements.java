package io.millrace.sink;

import java.util.List;
import java.util.stream.Collectors;

/** Builds the idempotent upsert statements of a {@link PostgresTable}; identifiers come from code only. */
final class UpsertStatements {

    private UpsertStatements() {}

    static String insertValues(PostgresTable<?> table) {
        List<String> cols = table.columns();
        String touched = table.touchedColumn();
        String names = String.join(", ", cols) + (touched == null ? "" : ", " + touched);
        String params = cols.stream().map(c -> "?").collect(Collectors.joining(", ")) + (touched == null ? "" : ", now()");
        return "INSERT INTO " + table.name() + " (" + names + ") VALUES (" + params + ")" + onConflict(table);
    }

    static String stagingTable(PostgresTable<?> table) {
        return "millrace_stage_" + table.name();
    }

    static String createStaging(PostgresTable<?> table) {
        return "CREATE TEMP TABLE IF NOT EXISTS " + stagingTable(table) + " (LIKE " + table.name()
                + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
    }

    static String copyIntoStaging(PostgresTable<?> table) {
        return "COPY " + stagingTable(table) + " (" + String.join(", ", table.columns()) + ") FROM STDIN WITH (FORMAT csv)";
    }

    static String insertFromStaging(PostgresTable<?> table) {
        String cols = String.join(", ", table.columns());
        String touched = table.touchedColumn();
        return "INSERT INTO " + table.name() + " (" + cols + (touched == null ? "" : ", " + touched) + ") SELECT "
                + cols + (touched == null ? "" : ", now()") + " FROM " + stagingTable(table) + onConflict(table);
    }

    private static String onConflict(PostgresTable<?> table) {
        String updates = table.columns().stream()
                .filter(c -> !table.keyColumns().contains(c))
                .map(c -> c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        if (table.touchedColumn() != null) {
            updates += ", " + table.touchedColumn() + " = now()";
        }
        return " ON CONFLICT (" + String.join(", ", table.keyColumns()) + ") DO UPDATE SET " + updates;
    }
}
