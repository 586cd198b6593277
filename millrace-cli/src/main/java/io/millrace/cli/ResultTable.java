package io.millrace.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Prints a query result as an aligned text table with a row count, as {@code sql} shows it for either database. */
final class ResultTable {

    private ResultTable() {}

    /** Prints at most {@code maxRows} rows of {@code rs} and the total count. */
    static void print(ResultSet rs, PrintWriter out, int maxRows) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            header[i] = meta.getColumnLabel(i + 1);
            width[i] = header[i].length();
        }
        int total = 0;
        while (rs.next()) {
            total++;
            if (rows.size() >= maxRows) {
                continue;
            }
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                // With the offset: the drivers' default for timestamptz is a java.sql.Timestamp in local time.
                Object v = meta.getColumnType(i + 1) == Types.TIMESTAMP_WITH_TIMEZONE
                        || "timestamptz".equalsIgnoreCase(meta.getColumnTypeName(i + 1))
                        || "TIMESTAMP WITH TIME ZONE".equalsIgnoreCase(meta.getColumnTypeName(i + 1))
                        ? rs.getObject(i + 1, OffsetDateTime.class) : rs.getObject(i + 1);
                row[i] = v == null ? "" : v.toString();
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        printRow(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        out.println(rule);
        rows.forEach(r -> printRow(out, r, width));
        out.printf("(%d row%s%s)%n", total, total == 1 ? "" : "s", total > rows.size() ? ", " + rows.size() + " shown" : "");
    }

    private static void printRow(PrintWriter out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
        }
        out.println(line.toString().stripTrailing());
    }
}
