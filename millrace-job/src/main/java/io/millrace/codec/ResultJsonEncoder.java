package io.millrace.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.SectorMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * JSON values of the {@code market} result topics. Field names follow the PostgreSQL columns; decimals are
 * JSON numbers written exactly; trade and info times stay epoch ms as in the input, window bounds are ISO-8601.
 */
public final class ResultJsonEncoder {

    private ResultJsonEncoder() {}

    public static byte[] enrichedTrade(EnrichedTrade t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("trade_id", t.tradeId());
            json.writeStringField("symbol", t.symbol());
            decimal(json, "price", t.price());
            json.writeNumberField("volume", t.volume());
            json.writeNumberField("trade_timestamp", t.tradeTimestamp());
            json.writeStringField("company", t.company());
            json.writeStringField("sector", t.sector());
            if (t.marketCap() == null) {
                json.writeNullField("market_cap");
            } else {
                json.writeNumberField("market_cap", t.marketCap());
            }
            if (t.infoTimestamp() == null) {
                json.writeNullField("info_timestamp");
            } else {
                json.writeNumberField("info_timestamp", t.infoTimestamp());
            }
            decimal(json, "trade_value", t.tradeValue());
            json.writeBooleanField("enriched", t.enriched());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] sectorMetrics(SectorMetrics m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("window_start", Instant.ofEpochMilli(m.windowStart()).toString());
            json.writeStringField("window_end", Instant.ofEpochMilli(m.windowEnd()).toString());
            json.writeStringField("sector", m.sector());
            json.writeNumberField("trade_count", m.tradeCount());
            json.writeNumberField("total_volume", m.totalVolume());
            decimal(json, "total_value", m.totalValue());
            decimal(json, "avg_price", m.avgPrice());
            decimal(json, "vwap", m.vwap());
            decimal(json, "min_price", m.minPrice());
            decimal(json, "max_price", m.maxPrice());
            json.writeBooleanField("is_final", !m.early());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The key of a sector window, the same in the topic and in the table: {@code <window_start ISO>|<sector>}. */
    public static String sectorWindowKey(long windowStart, String sector) {
        return Instant.ofEpochMilli(windowStart) + "|" + sector;
    }

    private static void decimal(JsonGenerator json, String name, BigDecimal value) throws IOException {
        json.writeFieldName(name);
        json.writeNumber(value.toPlainString());
    }
}
