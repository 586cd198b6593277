package io.millrace.sink;

import io.millrace.model.LateTrade;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** {@code late_trades}: trades that came after their window closed for good, with the watermark they met. */
public final class LateTradesTable implements PostgresTable<LateTrade> {
    private static final long serialVersionUID = 1L;

    public static final String NAME = "late_trades";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String ddl() {
        return """
                CREATE TABLE IF NOT EXISTS late_trades (
                    trade_id    text PRIMARY KEY,
                    symbol      text NOT NULL,
                    price       numeric NOT NULL,
                    volume      bigint NOT NULL,
                    trade_ts    timestamptz NOT NULL,
                    watermark   timestamptz NOT NULL,
                    reason      text NOT NULL,
                    detected_at timestamptz NOT NULL DEFAULT now()
                )""";
    }

    @Override
    public List<String> columns() {
        return List.of("trade_id", "symbol", "price", "volume", "trade_ts", "watermark", "reason");
    }

    @Override
    public List<String> keyColumns() {
        return List.of("trade_id");
    }

    @Override
    public String touchedColumn() {
        return "detected_at";
    }

    @Override
    public Object key(LateTrade row) {
        return row.tradeId();
    }

    @Override
    public void bind(PreparedStatement st, LateTrade row) throws SQLException {
        st.setString(1, row.tradeId());
        st.setString(2, row.symbol());
        st.setBigDecimal(3, row.price());
        st.setLong(4, row.volume());
        Jdbc.timestamp(st, 5, row.tradeTimestamp());
        Jdbc.timestamp(st, 6, row.watermark());
        st.setString(7, row.reason());
    }

    @Override
    public void appendCsv(StringBuilder csv, LateTrade row) {
        Csv.text(csv, row.tradeId());
        Csv.sep(csv);
        Csv.text(csv, row.symbol());
        Csv.sep(csv);
        Csv.number(csv, row.price());
        Csv.sep(csv);
        csv.append(row.volume());
        Csv.sep(csv);
        Csv.timestamp(csv, row.tradeTimestamp());
        Csv.sep(csv);
        Csv.timestamp(csv, row.watermark());
        Csv.sep(csv);
        Csv.text(csv, row.reason());
        Csv.end(csv);
    }
}
