package io.millrace.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Trade and info decoding: the documented example, exact decimals, and one reason per kind of bad record. */
class TradeJsonDecoderTest {

    private static final long HOUR = 3_600_000L;
    private static final RecordOrigin ORIGIN = new RecordOrigin("stock-trades", 3, 1234);
    private final TradeJsonDecoder trades = new TradeJsonDecoder(HOUR);
    private final MarketInfoJsonDecoder infos = new MarketInfoJsonDecoder(HOUR);

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesTheSpecExampleExactly() throws Exception {
        Trade trade = trades.decode(json("""
                {"trade_id":"t-1","symbol":"AAPL","price":178.35,"volume":512,"trade_timestamp":1700000000000}"""), ORIGIN);

        assertThat(trade).isEqualTo(new Trade("t-1", "AAPL", new BigDecimal("178.35"), 512, 1700000000000L, 3));
        assertThat(trade.value()).isEqualByComparingTo("91315.20");
    }

    @Test
    void keysATradeWithoutIdByTopicPartitionOffset() throws Exception {
        Trade trade = trades.decode(json("""
                {"symbol":"BRK.B","price":1,"volume":1,"trade_timestamp":1700000000000,"extra":{"x":[1,2]}}"""), ORIGIN);

        assertThat(trade.tradeId()).isEqualTo("stock-trades-3-1234");
        assertThat(trade.symbol()).isEqualTo("BRK.B");
    }

    @Test
    void keepsPriceDigitsThatABinaryDoubleWouldLose() throws Exception {
        Trade trade = trades.decode(json("""
                {"symbol":"X","price":0.1000000000000000055511151231257827,"volume":3,"trade_timestamp":1}"""), ORIGIN);

        assertThat(trade.price().toPlainString()).isEqualTo("0.1000000000000000055511151231257827");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                 | {\"symbol\":\"AAPL\",                                                        | invalid JSON",
        "array, not object        | [1,2,3]                                                                      | invalid JSON: expected an object, got an array",
        "empty                    | ''                                                                           | empty record",
        "trailing garbage         | {\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1} x          | invalid JSON",
        "duplicate key            | {\"symbol\":\"A\",\"symbol\":\"B\",\"price\":1,\"volume\":1,\"trade_timestamp\":1} | invalid JSON: Duplicate field 'symbol'",
        "missing symbol           | {\"price\":1,\"volume\":1,\"trade_timestamp\":1}                             | missing field 'symbol'",
        "missing price            | {\"symbol\":\"A\",\"volume\":1,\"trade_timestamp\":1}                        | missing field 'price'",
        "missing volume           | {\"symbol\":\"A\",\"price\":1,\"trade_timestamp\":1}                         | missing field 'volume'",
        "missing timestamp        | {\"symbol\":\"A\",\"price\":1,\"volume\":1}                                  | missing field 'trade_timestamp'",
        "price as string          | {\"symbol\":\"A\",\"price\":\"178.35\",\"volume\":1,\"trade_timestamp\":1}   | field 'price' must be a number, got string \"178.35\"",
        "price null               | {\"symbol\":\"A\",\"price\":null,\"volume\":1,\"trade_timestamp\":1}         | field 'price' must be a number, got null",
        "negative price           | {\"symbol\":\"A\",\"price\":-5.5,\"volume\":1,\"trade_timestamp\":1}         | field 'price' must be greater than 0, got -5.5",
        "zero price               | {\"symbol\":\"A\",\"price\":0,\"volume\":1,\"trade_timestamp\":1}            | field 'price' must be greater than 0, got 0",
        "negative volume          | {\"symbol\":\"A\",\"price\":1,\"volume\":-3,\"trade_timestamp\":1}           | field 'volume' must be a positive integer, got -3",
        "fractional volume        | {\"symbol\":\"A\",\"price\":1,\"volume\":2.5,\"trade_timestamp\":1}          | field 'volume' must be an integer, got number 2.5",
        "huge volume              | {\"symbol\":\"A\",\"price\":1,\"volume\":99999999999999999999,\"trade_timestamp\":1} | field 'volume' is out of range",
        "lower-case symbol        | {\"symbol\":\"aapl\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}         | field 'symbol' must match [A-Z0-9.-]{1,16}, got \"aapl\"",
        "symbol too long          | {\"symbol\":\"ABCDEFGHIJKLMNOPQ\",\"price\":1,\"volume\":1,\"trade_timestamp\":1} | field 'symbol' must match",
        "symbol as number         | {\"symbol\":42,\"price\":1,\"volume\":1,\"trade_timestamp\":1}               | field 'symbol' must be a string, got number 42",
        "timestamp as ISO string  | {\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":\"2025-01-01\"} | field 'trade_timestamp' must be an integer",
        "trade_id empty           | {\"trade_id\":\"\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1} | field 'trade_id' must be a non-empty string",
    })
    void rejectsWithAReasonNamingTheProblem(String name, String payload, String reason) {
        assertThatThrownBy(() -> trades.decode(json(payload), ORIGIN))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageStartingWith(reason);
    }

    @Test
    void rejectsTimestampsFarInTheFuture() {
        long twoHoursAhead = System.currentTimeMillis() + 2 * HOUR;
        String payload = "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":" + twoHoursAhead + "}";

        assertThatThrownBy(() -> trades.decode(json(payload), ORIGIN))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("in the future (at most 3600 s allowed)");
    }

    @Test
    void decodesInfoAndRequiresEveryField() throws Exception {
        MarketInfo info = infos.decode(json("""
                {"symbol":"AAPL","company":"Apple Inc.","sector":"Technology","market_cap":2800000000000,"info_timestamp":5}"""),
                ORIGIN);

        assertThat(info).isEqualTo(new MarketInfo("AAPL", "Apple Inc.", "Technology", 2_800_000_000_000L, 5));
        assertThatThrownBy(() -> infos.decode(json("""
                {"symbol":"AAPL","company":"Apple Inc.","market_cap":1,"info_timestamp":5}"""), ORIGIN))
                .hasMessage("missing field 'sector'");
        assertThatThrownBy(() -> infos.decode(json("""
                {"symbol":"AAPL","company":"Apple Inc.","sector":"Tech","market_cap":-1,"info_timestamp":5}"""), ORIGIN))
                .hasMessage("field 'market_cap' must not be negative, got -1");
    }

    @Test
    void readsARecordWithAByteOrderMarkOrInUtf16AsJsonAllows() throws Exception {
        String record = """
                {"trade_id":"t-2","symbol":"MSFT","price":1.5,"volume":2,"trade_timestamp":1700000000000}""";
        Trade expected = new Trade("t-2", "MSFT", new BigDecimal("1.5"), 2, 1700000000000L, 3);
        byte[] utf8 = json(record);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);

        assertThat(trades.decode(withBom, ORIGIN)).isEqualTo(expected);
        assertThat(trades.decode(record.getBytes(StandardCharsets.UTF_16LE), ORIGIN)).isEqualTo(expected);
        assertThat(trades.decode(record.getBytes(StandardCharsets.UTF_16BE), ORIGIN)).isEqualTo(expected);
        assertThat(trades.decode(json(" " + record), ORIGIN)).isEqualTo(expected);
    }

    @Test
    void symbolCheckAgreesWithItsRegularExpression() {
        Pattern spec = Pattern.compile("[A-Z0-9.\\-]{1,16}");
        Random random = new Random(42);
        String alphabet = "AZaz09.-_ /:@[`{\u00c4\u0130";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder symbol = new StringBuilder();
            int length = random.nextInt(19);
            for (int j = 0; j < length; j++) {
                symbol.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : (char) ('A' + random.nextInt(26)));
            }
            String s = symbol.toString();
            assertThat(JsonFields.isSymbol(s)).as(s).isEqualTo(spec.matcher(s).matches());
        }
    }

    @Test
    void duplicateNamesAreFoundAtEveryLevelAsJacksonsStrictParserFindsThem() throws Exception {
        ObjectMapper strict = new ObjectMapper(JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
        String valid = "\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1";
        StringBuilder manyFields = new StringBuilder("{" + valid);
        for (int i = 0; i < 30; i++) {
            manyFields.append(",\"f").append(i).append("\":").append(i);
        }
        List<String> records = List.of(
                "{" + valid + ",\"extra\":{\"x\":1,\"x\":2}}",
                "{" + valid + ",\"extra\":[{\"x\":1},{\"y\":[{\"z\":1,\"z\":3}]}]}",
                "{" + valid + ",\"extra\":{\"symbol\":\"B\",\"a\":{\"symbol\":1}}}",
                "{" + valid + ",\"extra\":[[],{},[{}],\"x\",null,true,1.5]}",
                manyFields + "}",
                manyFields + ",\"f29\":0}",
                manyFields + ",\"f3\":0}",
                "{\"a\":1,\"a\":1," + valid + "}");
        for (String record : records) {
            boolean jacksonRejects;
            try {
                strict.readTree(record);
                jacksonRejects = false;
            } catch (JsonProcessingException e) {
                jacksonRejects = e.getOriginalMessage().startsWith("Duplicate field");
            }
            boolean decoderRejects;
            try {
                trades.decode(json(record), ORIGIN);
                decoderRejects = false;
            } catch (InvalidRecordException e) {
                decoderRejects = e.getMessage().startsWith("invalid JSON: Duplicate field");
            }
            assertThat(decoderRejects).as(record).isEqualTo(jacksonRejects);
        }
    }
}
