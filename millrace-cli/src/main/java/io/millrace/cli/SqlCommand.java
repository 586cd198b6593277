package io.millrace.cli;

import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace sql}: one query against the sink database, printed as a table (no psql needed). */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run one SQL statement against the sink PostgreSQL (the local stack's by default) and print the result.")
final class SqlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "SQL", description = "the statement, e.g. \"SELECT * FROM sector_metrics LIMIT 5\"")
    String sql;

    @Option(names = "--max-rows", defaultValue = "200", description = "rows to print at most (default: ${DEFAULT-VALUE})")
    int maxRows;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection db = PipelineSettings.postgres(MillraceHome.resolve(), connection).open();
                Statement st = db.createStatement()) {
            if (!st.execute(sql)) {
                out.println(st.getUpdateCount() + " rows affected");
                return 0;
            }
            try (ResultSet rs = st.getResultSet()) {
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
                        Object v = meta.getColumnType(i + 1) == java.sql.Types.TIMESTAMP_WITH_TIMEZONE
                                || "timestamptz".equals(meta.getColumnTypeName(i + 1))
                                ? rs.getObject(i + 1, java.time.OffsetDateTime.class) : rs.getObject(i + 1);
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
        }
        return 0;
    }

    private static void printRow(PrintWriter out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
        }
        out.println(line.toString().stripTrailing());
    }
}
