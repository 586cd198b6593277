package io.millrace.cli;

import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millrace sql}: one query against the sink database, or with {@code --warehouse} against the Iceberg
 * warehouse's tables (DuckDB over their Parquet files), printed as a table (no psql needed).
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run one SQL statement against the sink PostgreSQL (the local stack's by default), or with "
                + "--warehouse against the Iceberg warehouse's tables, and print the result.")
final class SqlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "SQL", description = "the statement, e.g. \"SELECT * FROM sector_metrics LIMIT 5\"")
    String sql;

    @Option(names = "--max-rows", defaultValue = "200", description = "rows to print at most (default: ${DEFAULT-VALUE})")
    int maxRows;

    @Option(names = "--warehouse", description = "query the Iceberg warehouse ($MILLRACE_HOME/warehouse, or "
            + "MILLRACE_WAREHOUSE_PATH; namespace MILLRACE_WAREHOUSE_NAMESPACE, default millrace) with DuckDB: each "
            + "table of the namespace is a view of its current snapshot, e.g. \"SELECT content_type, count(*) "
            + "FROM engagement_events GROUP BY 1\"")
    boolean warehouse;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (warehouse) {
            try (WarehouseQuery query = WarehouseQuery.open(PipelineSettings.warehouse(MillraceHome.resolve()))) {
                query.query(sql, rs -> {
                    ResultTable.print(rs, out, maxRows);
                    return null;
                });
            }
            return 0;
        }
        try (Connection db = PipelineSettings.postgres(MillraceHome.resolve(), connection).open();
                Statement st = db.createStatement()) {
            if (!st.execute(sql)) {
                out.println(st.getUpdateCount() + " rows affected");
                return 0;
            }
            try (ResultSet rs = st.getResultSet()) {
                ResultTable.print(rs, out, maxRows);
            }
        }
        return 0;
    }
}
