package io.millrace.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.millrace.model.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte scanner of common trade records: it reads the shapes producers really send, leaves every other record to
 * the strict parser, and never accepts a record the strict parser would reject or read differently.
 */
class TradeJsonScannerTest {

    private static final long HOUR = 3_600_000L;
    private static final long NOW = 1_700_000_000_000L;
    private static final RecordOrigin ORIGIN = new RecordOrigin("stock-trades", 3, 1234);
    private final TradeJsonDecoder decoder = new TradeJsonDecoder(HOUR);

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Trade scan(String record) {
        return TradeJsonScanner.scan(json(record), ORIGIN, NOW, HOUR);
    }

    @Test
    void readsTheGeneratorsCompactRecord() {
        assertThat(scan("{\"trade_id\":\"t-1\",\"symbol\":\"AAPL\",\"price\":178.35,\"volume\":512,\"trade_timestamp\":1699999999000}"))
                .isEqualTo(new Trade("t-1", "AAPL", new BigDecimal("178.35"), 512, 1_699_999_999_000L, 3));
    }

    @Test
    void readsTheOriginalProducersSpacedRecordWithoutId() {
        // json.dumps in the seed's producer: a space after every colon and comma, a float price, no trade_id.
        assertThat(scan("{\"symbol\": \"BRK.B\", \"price\": 412.10, \"volume\": 7, \"trade_timestamp\": 1699999999000}"))
                .isEqualTo(new Trade("stock-trades-3-1234", "BRK.B", new BigDecimal("412.10"), 7, 1_699_999_999_000L, 3));
    }

    @Test
    void keepsTheScaleOfThePriceAsWritten() {
        Trade trade = scan("{\"symbol\":\"X\",\"price\":5.500,\"volume\":1,\"trade_timestamp\":0}");

        assertThat(trade.price().unscaledValue().longValue()).isEqualTo(5500);
        assertThat(trade.price().scale()).isEqualTo(3);
        assertThat(scan("{\"symbol\":\"X\",\"price\":5,\"volume\":1,\"trade_timestamp\":0}").price().scale()).isZero();
    }

    @Test
    void skipsUnknownScalarFieldsAndSurroundingSpace() {
        assertThat(scan(" \n{ \"venue\" : \"XNAS\" ,\"seq\":-12.5,\"ok\":true,\"note\":null,\"symbol\":\"A\",\"price\":1,"
                        + "\"volume\":2,\"trade_timestamp\":3,\"x\":false}\r\n\t"))
                .isEqualTo(new Trade("stock-trades-3-1234", "A", BigDecimal.ONE, 2, 3, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // valid, but in a form only the strict parser reads
        "{\"symbol\":\"A\",\"price\":1.7835e2,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"\\u0041\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"extra\":{\"x\":[1,2]}}",
        "\uFEFF{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"trade_id\":\"caf\u00e9\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":0.1000000000000000055511151231257827,\"volume\":1,\"trade_timestamp\":1}",
        // invalid: the strict parser gives the reason
        "{\"symbol\":\"A\",\"symbol\":\"B\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"a\":1,\"symbol\":\"A\",\"a\":2,\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1} x",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,}",
        "{\"symbol\":\"A\",\"price\":01,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1.,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":0,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":-0,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":2.0,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":-1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1800000000000}",
        "{\"symbol\":\"a\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"trade_id\":\"  \",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"flag\":nullx}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"flag\":truefalse}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"flag\":truenull}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"flag\":falsenull}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"flag\":[1]}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"n\":1e3}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"n\":-}",
        "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1,\"\":1,\"\":2}",
        "{\"trade_id\":\"a\",\"trade_id\":\"b\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"trade_id\":\"\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":1,\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\u007f\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":-1.5,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":0.0,\"volume\":1,\"trade_timestamp\":1}",
        "{\"symbol\":\"A\",\"price\":1234567890.123456789,\"volume\":1,\"trade_timestamp\":1}",
        "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{\"price\":1,\"volume\":1,\"trade_timestamp\":1}",
        "{}",
        ""
    })
    void leavesEveryOtherRecordToTheStrictParser(String record) {
        assertThat(scan(record)).isNull();
    }

    @Test
    void leavesAFieldNameLongerThanAnyRealOneToTheStrictParser() {
        String name = "a".repeat(257);

        assertThat(scan("{\"" + name + "\":1,\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}")).isNull();
        assertThat(scan("{\"" + name.substring(1) + "\":1,\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":1}"))
                .isNotNull();
    }

    /** Each limit of the rules, on both sides: the scanner takes the record exactly when it is valid and plain. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "trade_id of 128 characters   | true",
        "trade_id of 129 characters   | false",
        "symbol of 16 characters      | true",
        "symbol of 17 characters      | false",
        "price of 18 digits           | true",
        "price of 19 digits           | false",
        "timestamp at the future limit | true",
        "timestamp 1 ms past it       | false",
        "eight unknown fields         | true",
        "empty object with a space    | false"
    })
    void agreesWithTheStrictParserAtEachLimit(String limit, boolean scanned) throws Exception {
        String tail = ",\"price\":1,\"volume\":1,\"trade_timestamp\":1}";
        String record = switch (limit) {
            case "trade_id of 128 characters" -> "{\"trade_id\":\"" + "t".repeat(128) + "\",\"symbol\":\"A\"" + tail;
            case "trade_id of 129 characters" -> "{\"trade_id\":\"" + "t".repeat(129) + "\",\"symbol\":\"A\"" + tail;
            case "symbol of 16 characters" -> "{\"symbol\":\"" + "S".repeat(16) + "\"" + tail;
            case "symbol of 17 characters" -> "{\"symbol\":\"" + "S".repeat(17) + "\"" + tail;
            case "price of 18 digits" -> "{\"symbol\":\"A\",\"price\":123456789.123456789,\"volume\":1,\"trade_timestamp\":1}";
            case "price of 19 digits" -> "{\"symbol\":\"A\",\"price\":1234567891.123456789,\"volume\":1,\"trade_timestamp\":1}";
            case "timestamp at the future limit" ->
                    "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":" + (NOW + HOUR) + "}";
            case "timestamp 1 ms past it" ->
                    "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":" + (NOW + HOUR + 1) + "}";
            case "eight unknown fields" -> "{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":null,\"e\":false,\"f\":-1.5,\"g\":0,"
                    + "\"h\":\"\",\"symbol\":\"A\"" + tail;
            default -> "{ }";
        };
        Trade fast = scan(record);

        assertThat(fast != null).as("scanned").isEqualTo(scanned);
        if (fast != null) {
            assertThat(fast).isEqualTo(decoder.decodeStrictly(json(record), ORIGIN, NOW));
        }
    }

    @Test
    void takesMinusZeroAsTheTimestampZeroAsTheStrictParserDoes() throws Exception {
        String record = "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"trade_timestamp\":-0}";

        assertThat(scan(record)).isEqualTo(decoder.decodeStrictly(json(record), ORIGIN, NOW)).isNotNull();
    }

    /**
     * Mutated records, many of them broken in the ways bytes break: whatever the scanner accepts, the strict parser
     * must accept too and read to the same trade, decimal scale included.
     */
    @Test
    void neverDisagreesWithTheStrictParserOnMutatedRecords() {
        List<String> bases = List.of(
                "{\"trade_id\":\"t-19\",\"symbol\":\"MSFT\",\"price\":331.07,\"volume\":40,\"trade_timestamp\":1699999990000}",
                "{\"symbol\": \"BRK.B\", \"price\": 412.10, \"volume\": 7, \"trade_timestamp\": 1699999999000}",
                "{\"venue\":\"X\",\"symbol\":\"A-1\",\"seq\":12,\"price\":0.5,\"volume\":123456789012345678,"
                        + "\"trade_timestamp\":0,\"ok\":true,\"n\":null}");
        byte[] alphabet = json("{}[]\",:.-+eE0123456789 \t\n\r\\uxAatrufalsn\u007f\u0001\u00e9");
        Random random = new Random(14);
        int scanned = 0;
        int strictOnly = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] record = json(bases.get(random.nextInt(bases.size())));
            int mutations = random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                record = mutate(record, random, alphabet);
            }
            Trade fast = TradeJsonScanner.scan(record, ORIGIN, NOW, HOUR);
            Trade strict;
            try {
                strict = decoder.decodeStrictly(record, ORIGIN, NOW);
            } catch (InvalidRecordException e) {
                strict = null;
                if (fast != null) {
                    fail("scanner accepted %s, which the strict parser rejects: %s",
                            new String(record, StandardCharsets.UTF_8), e.getMessage());
                }
            }
            if (fast != null) {
                assertThat(fast).as(new String(record, StandardCharsets.UTF_8)).isEqualTo(strict);
                assertThat(fast.price().scale()).isEqualTo(strict.price().scale());
                scanned++;
            } else if (strict != null) {
                strictOnly++;
            }
        }
        // Both sides must have been exercised for the comparison to mean anything.
        assertThat(scanned).isGreaterThan(50_000);
        assertThat(strictOnly).isGreaterThan(100);
    }

    private static byte[] mutate(byte[] record, Random random, byte[] alphabet) {
        int at = random.nextInt(record.length + 1);
        byte b = alphabet[random.nextInt(alphabet.length)];
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] longer = new byte[record.length + 1];
                System.arraycopy(record, 0, longer, 0, at);
                longer[at] = b;
                System.arraycopy(record, at, longer, at + 1, record.length - at);
                yield longer;
            }
            case 1 -> {
                if (at == record.length) {
                    yield record;
                }
                byte[] shorter = new byte[record.length - 1];
                System.arraycopy(record, 0, shorter, 0, at);
                System.arraycopy(record, at + 1, shorter, at, record.length - at - 1);
                yield shorter;
            }
            case 2 -> {
                // A piece of the record again elsewhere: "truetrue", a field twice, a value run into a name.
                int from = random.nextInt(record.length);
                int length = Math.min(1 + random.nextInt(12), record.length - from);
                byte[] longer = new byte[record.length + length];
                System.arraycopy(record, 0, longer, 0, at);
                System.arraycopy(record, from, longer, at, length);
                System.arraycopy(record, at, longer, at + length, record.length - at);
                yield longer;
            }
            default -> {
                byte[] changed = Arrays.copyOf(record, record.length);
                changed[Math.min(at, record.length - 1)] = b;
                yield changed;
            }
        };
    }
}
