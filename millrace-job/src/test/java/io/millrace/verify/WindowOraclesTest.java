package io.millrace.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.pipeline.movingaverages.MovingAveragesOracle;
import io.millrace.pipeline.orders.OrdersOracle;
import io.millrace.pipeline.payments.PaymentsOracle;
import io.millrace.verify.WindowOracle.ExpectedResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules {@code verify orders|payments|moving-averages} holds the pipelines to, on the seeds' worked examples. */
class WindowOraclesTest {

    private static final long FAR_FUTURE = 100L * 365 * 24 * 3600 * 1000;
    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static void feed(WindowOracle oracle, int partition, String... values) {
        for (String value : values) {
            oracle.accept(new InputRecord("in", partition, oracle.records(), null, value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static String order(String id, String user, String amount, String createdAt) {
        return "{\"order_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"total_amount\":" + amount
                + ",\"status\":\"pending\",\"items_count\":1,\"event_type\":\"order.created\",\"created_at\":\""
                + createdAt + "\",\"items\":[]}";
    }

    private static String payment(String id, String user, int paid, String status, String time) {
        return "{\"event_timestamp\":\"" + time + "\",\"user_id\":\"" + user + "\",\"transaction_id\":\"" + id
                + "\",\"total_paid\":" + paid + ",\"status\":\"" + status + "\"}";
    }

    private static BigDecimal decimal(ExpectedResult r, String field) {
        return new BigDecimal(r.fields().get(field));
    }

    @Test
    void ordersSeedExampleGivesThreeUsersFourOrders750And187Point5() {
        OrdersOracle oracle = new OrdersOracle(60_000, 0, 30_000, FAR_FUTURE, false, NOW);
        feed(oracle, 0, order("o1", "u1", "100", "2025-11-24T10:50:05Z"), order("o2", "u2", "200", "2025-11-24T10:50:12Z"),
                order("o3", "u1", "150", "2025-11-24T10:50:28Z"), order("o4", "u3", "300", "2025-11-24T10:50:45"));

        ExpectedResult window = oracle.results().get("2025-11-24T10:50:00Z");
        assertThat(oracle.results()).hasSize(1);
        assertThat(window.fields()).containsEntry("unique_users", "3").containsEntry("total_orders", "4")
                .containsEntry("window_end", "2025-11-24T10:51:00Z");
        assertThat(decimal(window, "total_revenue")).isEqualByComparingTo("750");
        assertThat(decimal(window, "avg_order_value")).isEqualByComparingTo("187.5");
    }

    @Test
    void ordersLatenessIsJudgedPerPartitionAndMalformedOrdersAreDeadLetters() {
        OrdersOracle oracle = new OrdersOracle(60_000, 0, 30_000, FAR_FUTURE, false, NOW);
        feed(oracle, 0, order("o1", "u1", "100", "2025-11-24T10:52:00Z"),
                // 10:50:59.999 + 0 lateness <= 10:52:00 - 30 s - 1 ms: late on partition 0...
                order("late", "u2", "5", "2025-11-24T10:50:59Z"),
                "{\"order_id\":\"bad\"", order("neg", "u1", "-1", "2025-11-24T10:52:00Z"));
        // ...but on time on partition 1, whose clock has not moved.
        feed(oracle, 1, order("p1", "u9", "7", "2025-11-24T10:50:59Z"));

        assertThat(oracle.late()).containsOnlyKeys("late");
        assertThat(oracle.deadLetterOrigins()).hasSize(2);
        assertThat(oracle.results().get("2025-11-24T10:50:00Z").fields()).containsEntry("total_orders", "1");
        assertThat(oracle.countedEvents()).isEqualTo(2);
    }

    @Test
    void paymentsCountOnlyPaidOnesWithAnExactDecimalAverage() {
        PaymentsOracle oracle = new PaymentsOracle(3_000, 0, 5_000, FAR_FUTURE, "UTC", NOW);
        feed(oracle, 0, payment("a", "1u", 10, "Paid", "2023-02-08 10:00:00.100"),
                payment("b", "2u", 20, "Paid", "2023-02-08 10:00:01.123"),
                payment("c", "2u", 20, "Paid", "2023-02-08 10:00:02.999"),
                payment("d", "9u", 90, "Refused", "2023-02-08 10:00:02.000"),
                payment("e", "0u", 100, "Paid", "2023-02-08 10:00:03.000"),
                payment("f", "3u", 30, "Unknown", "2023-02-08 10:00:03.000"));

        Map<String, ExpectedResult> results = oracle.results();
        assertThat(results).containsOnlyKeys("2023-02-08T10:00:00Z", "2023-02-08T10:00:03Z");
        ExpectedResult first = results.get("2023-02-08T10:00:00Z");
        assertThat(first.fields()).containsEntry("total_paid", "50").containsEntry("total_transactions", "3");
        // 50 / 3, not the integer division of the original.
        assertThat(decimal(first, "average_transaction_value")).isEqualByComparingTo("16.66666667");
        assertThat(oracle.ignoredEvents()).isEqualTo(1);
        assertThat(oracle.deadLetterOrigins()).hasSize(1);
    }

    @Test
    void movingAveragesSeedSampleGivesSevenWindowsAndTheFirstAmcWindow() throws IOException {
        MovingAveragesOracle oracle = new MovingAveragesOracle(10_000, 5_000, 0, 5_000, FAR_FUTURE, true, NOW);
        List<String> lines = Files.readAllLines(Path.of("../millrace-job/src/test/resources/seed004-sample-stocks.csv"));
        feed(oracle, 0, lines.toArray(String[]::new));

        Map<String, ExpectedResult> results = oracle.results();
        assertThat(results).hasSize(7);
        assertThat(results.keySet().stream().filter(k -> k.startsWith("AGL|"))).hasSize(3);
        ExpectedResult amc = results.get("AMC|2018-08-21T11:01:05Z");
        assertThat(amc.fields()).containsEntry("count", "2").containsEntry("end", "2018-08-21T11:01:15Z");
        assertThat(decimal(amc, "price")).isEqualByComparingTo("457.15");
        assertThat(decimal(amc, "minPrice")).isEqualByComparingTo("158.84");
        assertThat(decimal(amc, "maxPrice")).isEqualByComparingTo("755.46");
    }
}
