package io.millrace.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.EnrichedTradeLogEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * The staged {@code enriched-trades} topic's records: an enriched trade as {@link ResultJsonEncoder#enrichedTrade}
 * writes it, or a watermark marker {@code {"millrace_watermark":W,"subtask":I,"subtasks":N}}.
 */
public final class EnrichedTradeLogCodec implements RecordDecoder<EnrichedTradeLogEntry> {
    private static final long serialVersionUID = 1L;

    /** The field that makes a record a marker; readers of the topic that only want trades skip such records. */
    public static final String MARKER_FIELD = "millrace_watermark";

    public static byte[] encode(EnrichedTradeLogEntry entry) {
        if (!entry.isMarker()) {
            return ResultJsonEncoder.enrichedTrade(entry.trade());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = JsonFields.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField(MARKER_FIELD, entry.watermark());
            json.writeNumberField("subtask", entry.subtask());
            json.writeNumberField("subtasks", entry.subtasks());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public EnrichedTradeLogEntry decode(byte[] value, RecordOrigin origin) throws InvalidRecordException {
        Fields f = new Fields();
        JsonFields.readObject(value, f);
        if (f.watermark != null) {
            return EnrichedTradeLogEntry.marker(f.watermark, (int) JsonFields.required(f.subtask, "subtask").longValue(),
                    (int) JsonFields.required(f.subtasks, "subtasks").longValue(), origin.partition());
        }
        boolean enriched = JsonFields.required(f.enriched, "enriched");
        return EnrichedTradeLogEntry.of(new EnrichedTrade(JsonFields.required(f.tradeId, "trade_id"),
                JsonFields.required(f.symbol, "symbol"), JsonFields.required(f.price, "price"),
                JsonFields.required(f.volume, "volume"), JsonFields.required(f.tradeTimestamp, "trade_timestamp"),
                f.company, JsonFields.required(f.sector, "sector"), f.marketCap, f.infoTimestamp,
                JsonFields.required(f.tradeValue, "trade_value"), enriched));
    }

    /** The fields of one record as read; null where absent or JSON null. */
    private static final class Fields implements JsonFields.FieldReader {
        Long watermark;
        Long subtask;
        Long subtasks;
        String tradeId;
        String symbol;
        BigDecimal price;
        Long volume;
        Long tradeTimestamp;
        String company;
        String sector;
        Long marketCap;
        Long infoTimestamp;
        BigDecimal tradeValue;
        Boolean enriched;

        @Override
        public boolean read(String field, JsonParser parser, JsonToken v) throws InvalidRecordException, IOException {
            if (v == JsonToken.VALUE_NULL) {
                return true;
            }
            switch (field) {
                case MARKER_FIELD -> watermark = JsonFields.integer(parser, v, field);
                case "subtask" -> subtask = JsonFields.nonNegativeInteger(parser, v, field);
                case "subtasks" -> subtasks = JsonFields.positiveInteger(parser, v, field);
                case "trade_id" -> tradeId = JsonFields.nonEmptyText(parser, v, field, 128);
                case "symbol" -> symbol = JsonFields.symbol(parser, v, field);
                case "price" -> price = JsonFields.positiveDecimal(parser, v, field);
                case "volume" -> volume = JsonFields.positiveInteger(parser, v, field);
                case "trade_timestamp" -> tradeTimestamp = JsonFields.nonNegativeInteger(parser, v, field);
                case "company" -> company = JsonFields.text(parser, v, field);
                case "sector" -> sector = JsonFields.text(parser, v, field);
                case "market_cap" -> marketCap = JsonFields.integer(parser, v, field);
                case "info_timestamp" -> infoTimestamp = JsonFields.integer(parser, v, field);
                case "trade_value" -> tradeValue = JsonFields.nonNegativeDecimal(parser, v, field);
                case "enriched" -> {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                        throw JsonFields.illTyped(field, "a boolean", parser, v);
                    }
                    enriched = v == JsonToken.VALUE_TRUE;
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
