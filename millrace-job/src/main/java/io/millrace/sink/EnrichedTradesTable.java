package io.millrace.sink;

import io.millrace.model.EnrichedTrade;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** {@code enriched_trades}: one row per trade_id. */
public final class EnrichedTradesTable implements PostgresTable<EnrichedTrade> {
    private static final long serialVersionUID = 1L;

    public static final String NAME = "enriched_trades";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String ddl() {
        return """
                CREATE TABLE IF NOT EXISTS enriched_trades (
                    trade_id    text PRIMARY KEY,
                    symbol      text NOT NULL,
                    price       numeric NOT NULL,
                    volume      bigint NOT NULL,
                    trade_ts    timestamptz NOT NULL,
                    company     text,
                    sector      text NOT NULL,
                    market_cap  bigint,
                    info_ts     timestamptz,
                    trade_value numeric NOT NULL,
                    enriched    boolean NOT NULL
                )""";
    }

    @Override
    public List<String> columns() {
        return List.of("trade_id", "symbol", "price", "volume", "trade_ts", "company", "sector", "market_cap",
                "info_ts", "trade_value", "enriched");
    }

    @Override
    public List<String> keyColumns() {
        return List.of("trade_id");
    }

    @Override
    public Object key(EnrichedTrade row) {
        return row.tradeId();
    }

    @Override
    public void bind(PreparedStatement st, EnrichedTrade row) throws SQLException {
        st.setString(1, row.tradeId());
        st.setString(2, row.symbol());
        st.setBigDecimal(3, row.price());
        st.setLong(4, row.volume());
        Jdbc.timestamp(st, 5, row.tradeTimestamp());
        Jdbc.text(st, 6, row.company());
        st.setString(7, row.sector());
        Jdbc.bigint(st, 8, row.marketCap());
        Jdbc.timestamp(st, 9, row.infoTimestamp());
        st.setBigDecimal(10, row.tradeValue());
        st.setBoolean(11, row.enriched());
    }

    @Override
    public void appendCsv(StringBuilder csv, EnrichedTrade row) {
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
        Csv.text(csv, row.company());
        Csv.sep(csv);
        Csv.text(csv, row.sector());
        Csv.sep(csv);
        Csv.number(csv, row.marketCap());
        Csv.sep(csv);
        Csv.timestamp(csv, row.infoTimestamp());
        Csv.sep(csv);
        Csv.number(csv, row.tradeValue());
        Csv.sep(csv);
        csv.append(row.enriched());
        Csv.end(csv);
    }
}
