package io.millrace.sink;

import io.millrace.model.SectorMetrics;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** {@code sector_metrics}: one row per (window_start, sector), overwritten by later firings. */
public final class SectorMetricsTable implements PostgresTable<SectorMetrics> {
    private static final long serialVersionUID = 1L;

    public static final String NAME = "sector_metrics";

    /** Window start and sector: the row key. */
    private record Key(long windowStart, String sector) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String ddl() {
        return """
                CREATE TABLE IF NOT EXISTS sector_metrics (
                    window_start timestamptz NOT NULL,
                    sector       text NOT NULL,
                    window_end   timestamptz NOT NULL,
                    trade_count  bigint NOT NULL,
                    total_volume bigint NOT NULL,
                    total_value  numeric NOT NULL,
                    avg_price    numeric NOT NULL,
                    vwap         numeric NOT NULL,
                    min_price    numeric NOT NULL,
                    max_price    numeric NOT NULL,
                    is_final     boolean NOT NULL,
                    updated_at   timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (window_start, sector)
                )""";
    }

    @Override
    public List<String> columns() {
        return List.of("window_start", "sector", "window_end", "trade_count", "total_volume", "total_value",
                "avg_price", "vwap", "min_price", "max_price", "is_final");
    }

    @Override
    public List<String> keyColumns() {
        return List.of("window_start", "sector");
    }

    @Override
    public String touchedColumn() {
        return "updated_at";
    }

    @Override
    public Object key(SectorMetrics row) {
        return new Key(row.windowStart(), row.sector());
    }

    @Override
    public void bind(PreparedStatement st, SectorMetrics row) throws SQLException {
        Jdbc.timestamp(st, 1, row.windowStart());
        st.setString(2, row.sector());
        Jdbc.timestamp(st, 3, row.windowEnd());
        st.setLong(4, row.tradeCount());
        st.setLong(5, row.totalVolume());
        st.setBigDecimal(6, row.totalValue());
        st.setBigDecimal(7, row.avgPrice());
        st.setBigDecimal(8, row.vwap());
        st.setBigDecimal(9, row.minPrice());
        st.setBigDecimal(10, row.maxPrice());
        st.setBoolean(11, !row.early());
    }

    @Override
    public void appendCsv(StringBuilder csv, SectorMetrics row) {
        Csv.timestamp(csv, row.windowStart());
        Csv.sep(csv);
        Csv.text(csv, row.sector());
        Csv.sep(csv);
        Csv.timestamp(csv, row.windowEnd());
        Csv.sep(csv);
        csv.append(row.tradeCount());
        Csv.sep(csv);
        csv.append(row.totalVolume());
        Csv.sep(csv);
        Csv.number(csv, row.totalValue());
        Csv.sep(csv);
        Csv.number(csv, row.avgPrice());
        Csv.sep(csv);
        Csv.number(csv, row.vwap());
        Csv.sep(csv);
        Csv.number(csv, row.minPrice());
        Csv.sep(csv);
        Csv.number(csv, row.maxPrice());
        Csv.sep(csv);
        csv.append(!row.early());
        Csv.end(csv);
    }
}
