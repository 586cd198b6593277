package io.millrace.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.model.Order;
import io.millrace.model.StockTick;
import io.millrace.model.Transaction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Decoders of orders, transactions and stock ticks: seed formats accepted, bad records rejected with a reason. */
class WindowDecodersTest {

    private static final long HOUR = 3_600_000L;
    private static final RecordOrigin ORIGIN = new RecordOrigin("in", 2, 77);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesTheSeedOrderAndReadsCreatedAtWithOrWithoutOffset() throws Exception {
        OrderJsonDecoder decoder = new OrderJsonDecoder(HOUR);
        Order order = decoder.decode(b("""
                {"order_id":"uuid-1","user_id":"u1","total_amount":1000.0,"status":"pending","items_count":2,
                 "event_type":"order.created","created_at":"2025-11-24T10:50:09Z","items":[{"sku":"a","qty":1}]}"""), ORIGIN);

        assertThat(order).isEqualTo(new Order("uuid-1", "u1", new BigDecimal("1000.0"), "pending", 2, "order.created",
                Instant.parse("2025-11-24T10:50:09Z").toEpochMilli(), 2));
        assertThat(decoder.decode(b("""
                {"order_id":"o","user_id":"u","total_amount":1,"event_type":"order.created","created_at":"2025-11-24T12:50:09+02:00"}"""),
                ORIGIN).createdAt()).isEqualTo(order.createdAt());
        assertThat(decoder.decode(b("""
                {"order_id":"o","user_id":"u","total_amount":1,"event_type":"order.created","created_at":"2025-11-24T10:50:09"}"""),
                ORIGIN).createdAt()).isEqualTo(order.createdAt());
    }

    @Test
    void rejectsOrdersWithAReason() {
        OrderJsonDecoder decoder = new OrderJsonDecoder(HOUR);
        assertThatThrownBy(() -> decoder.decode(b("""
                {"order_id":"o","user_id":"u","total_amount":-1,"event_type":"order.created","created_at":"2025-11-24T10:50:09Z"}"""),
                ORIGIN)).hasMessage("field 'total_amount' must not be negative, got -1");
        assertThatThrownBy(() -> decoder.decode(b("""
                {"order_id":"o","user_id":"u","total_amount":1,"event_type":"order.created","created_at":"yesterday"}"""),
                ORIGIN)).hasMessageStartingWith("field 'created_at' must be an ISO-8601 time");
        assertThatThrownBy(() -> decoder.decode(b("""
                {"order_id":"o","total_amount":1,"event_type":"order.created","created_at":"2025-11-24T10:50:09Z"}"""),
                ORIGIN)).hasMessage("missing field 'user_id'");
    }

    @Test
    void readsNaiveTransactionTimesInTheConfiguredZoneAndOnlyKnownStatuses() throws Exception {
        String json = """
                {"event_timestamp":"2023-02-08 10:00:01.123","user_id":"5a","transaction_id":"t1","total_paid":50,"status":"Paid"}""";

        Transaction utc = new TransactionJsonDecoder("UTC", HOUR).decode(b(json), ORIGIN);
        Transaction paris = new TransactionJsonDecoder("Europe/Paris", HOUR).decode(b(json), ORIGIN);

        assertThat(utc).isEqualTo(new Transaction("t1", "5a", 50, "Paid",
                Instant.parse("2023-02-08T10:00:01.123Z").toEpochMilli(), 2));
        assertThat(utc.eventTime() - paris.eventTime()).isEqualTo(HOUR);
        assertThatThrownBy(() -> new TransactionJsonDecoder("UTC", HOUR).decode(b(json.replace("Paid", "Pending")), ORIGIN))
                .hasMessage("field 'status' must be Paid or Refused, got \"Pending\"");
        assertThatThrownBy(() -> new TransactionJsonDecoder("UTC", HOUR).decode(b(json.replace("50", "50.5")), ORIGIN))
                .hasMessage("field 'total_paid' must be an integer, got number 50.5");
        // The original generator sends the id as a JSON integer; it is the same id as its text.
        assertThat(new TransactionJsonDecoder("UTC", HOUR).decode(b(json.replace("\"t1\"", "482913")), ORIGIN)
                .transactionId()).isEqualTo("482913");
        assertThatThrownBy(() -> new TransactionJsonDecoder("UTC", HOUR).decode(b(json.replace("\"t1\"", "4.5")), ORIGIN))
                .hasMessage("field 'transaction_id' must be a string or an integer, got number 4.5");
    }

    @Test
    void decodesSeedCsvLinesAndTheJsonFormOfTheSameTick() throws Exception {
        StockTickDecoder decoder = new StockTickDecoder(100L * 365 * 24 * HOUR);

        StockTick csv = decoder.decode(b("AGL,BUY ,239.77,38,1534848940438,2018-08-21 20:55:40.438"), ORIGIN);
        StockTick json = decoder.decode(b("""
                {"name":"AGL","side":"BUY","price":239.77,"quantity":38,"timestamp":1534848940438}"""), ORIGIN);

        assertThat(csv).isEqualTo(new StockTick("in-2-77", "AGL", "BUY", new BigDecimal("239.77"), 38, 1534848940438L, 2));
        assertThat(json).isEqualTo(csv);
        assertThatThrownBy(() -> decoder.decode(b("AGL,HOLD,239.77,38,1534848940438,x"), ORIGIN))
                .hasMessage("field 'side' must be BUY or SELL, got \"HOLD\"");
        assertThatThrownBy(() -> decoder.decode(b("AGL,BUY,239.77,38"), ORIGIN))
                .hasMessageStartingWith("invalid CSV: expected 6 fields");
        assertThatThrownBy(() -> decoder.decode(b("AGL,BUY,-1,38,1534848940438,x"), ORIGIN))
                .hasMessage("field 'price' must not be negative, got -1");
        assertThatThrownBy(() -> decoder.decode(b("AGL,BUY,1.00,-3,1534848940438,x"), ORIGIN))
                .hasMessage("field 'quantity' must not be negative, got -3");
        // The original producer's edge values are valid ticks: quantity 0 (nextInt(1000)) and price 0.00.
        assertThat(decoder.decode(b("AGL,SELL,0.00,0,1534848940438,2018-08-21 20:55:40.438"), ORIGIN).price())
                .isEqualByComparingTo("0");
        assertThat(decoder.decode(b("""
                {"name":"AGL","side":"SELL","price":0.0,"quantity":0,"timestamp":1534848940438}"""), ORIGIN).quantity())
                .isZero();
    }
}
