package io.millrace.pipeline.market;

import static io.millrace.sink.PostgresTable.SqlType.BIGINT;
import static io.millrace.sink.PostgresTable.SqlType.BOOLEAN;
import static io.millrace.sink.PostgresTable.SqlType.NUMERIC;
import static io.millrace.sink.PostgresTable.SqlType.TEXT;
import static io.millrace.sink.PostgresTable.SqlType.TIMESTAMPTZ;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.LateTrade;
import io.millrace.model.SectorMetrics;
import io.millrace.sink.PostgresTable;

/** The tables the {@code market} pipeline writes, each declared once as its columns. */
public final class MarketTables {

    /** One row per trade_id. */
    public static final PostgresTable<EnrichedTrade> ENRICHED_TRADES = PostgresTable.<EnrichedTrade>named("enriched_trades")
            .key("trade_id", TEXT, EnrichedTrade::tradeId)
            .notNull("symbol", TEXT, EnrichedTrade::symbol)
            .notNull("price", NUMERIC, EnrichedTrade::price)
            .notNull("volume", BIGINT, EnrichedTrade::volume)
            .notNull("trade_ts", TIMESTAMPTZ, EnrichedTrade::tradeTimestamp)
            .nullable("company", TEXT, EnrichedTrade::company)
            .notNull("sector", TEXT, EnrichedTrade::sector)
            .nullable("market_cap", BIGINT, EnrichedTrade::marketCap)
            .nullable("info_ts", TIMESTAMPTZ, EnrichedTrade::infoTimestamp)
            .notNull("trade_value", NUMERIC, EnrichedTrade::tradeValue)
            .notNull("enriched", BOOLEAN, EnrichedTrade::enriched)
            .build();

    /** One row per (window_start, sector), overwritten by later firings; final once is_final. */
    public static final PostgresTable<SectorMetrics> SECTOR_METRICS = PostgresTable.<SectorMetrics>named("sector_metrics")
            .key("window_start", TIMESTAMPTZ, SectorMetrics::windowStart)
            .key("sector", TEXT, SectorMetrics::sector)
            .notNull("window_end", TIMESTAMPTZ, SectorMetrics::windowEnd)
            .notNull("trade_count", BIGINT, SectorMetrics::tradeCount)
            .notNull("total_volume", BIGINT, SectorMetrics::totalVolume)
            .notNull("total_value", NUMERIC, SectorMetrics::totalValue)
            .notNull("avg_price", NUMERIC, SectorMetrics::avgPrice)
            .notNull("vwap", NUMERIC, SectorMetrics::vwap)
            .notNull("min_price", NUMERIC, SectorMetrics::minPrice)
            .notNull("max_price", NUMERIC, SectorMetrics::maxPrice)
            .notNull("is_final", BOOLEAN, m -> !m.early())
            .touched("updated_at")
            .build();

    /** Trades that came after their window closed for good, with the watermark they met. */
    public static final PostgresTable<LateTrade> LATE_TRADES = PostgresTable.<LateTrade>named("late_trades")
            .key("trade_id", TEXT, LateTrade::tradeId)
            .notNull("symbol", TEXT, LateTrade::symbol)
            .notNull("price", NUMERIC, LateTrade::price)
            .notNull("volume", BIGINT, LateTrade::volume)
            .notNull("trade_ts", TIMESTAMPTZ, LateTrade::tradeTimestamp)
            .notNull("watermark", TIMESTAMPTZ, LateTrade::watermark)
            .notNull("reason", TEXT, LateTrade::reason)
            .touched("detected_at")
            .build();

    private MarketTables() {}
}
