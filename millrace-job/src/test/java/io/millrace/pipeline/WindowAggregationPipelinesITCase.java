package io.millrace.pipeline;

import static io.millrace.testing.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.millrace.codec.StockTickDecoder;
import io.millrace.model.Order;
import io.millrace.model.OrderWindowResult;
import io.millrace.model.PaymentWindowResult;
import io.millrace.model.StockAverage;
import io.millrace.model.StockTick;
import io.millrace.model.Transaction;
import io.millrace.pipeline.movingaverages.MovingAveragesConfig;
import io.millrace.pipeline.movingaverages.MovingAveragesPipeline;
import io.millrace.pipeline.orders.OrdersConfig;
import io.millrace.pipeline.orders.OrdersPipeline;
import io.millrace.pipeline.payments.PaymentsConfig;
import io.millrace.pipeline.payments.PaymentsPipeline;
import io.millrace.source.EventTime;
import io.millrace.source.Watermarks;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The three Kafka-to-Kafka pipelines on a MiniCluster at parallelism 2, on the seeds' worked examples. */
class WindowAggregationPipelinesITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        env.setParallelism(2);
        return env;
    }

    private static <T> DataStream<T> events(StreamExecutionEnvironment env, List<T> events, Class<T> type,
            EventTime<T> time, Duration bound) {
        return env.fromData(events, TypeInformation.of(type))
                .assignTimestampsAndWatermarks(Watermarks.boundedOutOfOrderness(time, bound, Duration.ZERO));
    }

    private static <T> List<T> run(StreamExecutionEnvironment env, DataStream<T> results) throws Exception {
        List<T> all = new ArrayList<>();
        try (CloseableIterator<T> it = results.collectAsync()) {
            env.execute();
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private static Order order(String id, String user, String amount, String time) {
        return new Order(id, user, new BigDecimal(amount), "pending", 1, Order.CREATED, at(time), 0);
    }

    @Test
    void seed001WorkedExampleGivesThreeUsersFourOrders750And187Point5InBothDistinctModes() throws Exception {
        List<Order> orders = List.of(
                order("123", "u1", "100", "10:50:05"),
                order("124", "u2", "200", "10:50:12"),
                order("125", "u1", "150", "10:50:28"),
                order("126", "u3", "300", "10:50:45"),
                new Order("127", "u9", new BigDecimal("999"), "pending", 1, "order.updated", at("10:50:50"), 0),
                order("128", "u2", "250", "10:51:05"));
        for (String mode : List.of("exact", "approx")) {
            StreamExecutionEnvironment env = env();
            OrdersConfig config = OrdersConfig.with(Map.of("aggregate.distinct", mode));
            List<OrderWindowResult> results = run(env, OrdersPipeline.build(
                    events(env, orders, Order.class, Order::createdAt, config.common().outOfOrderness()), config).results());

            OrderWindowResult first = results.stream().filter(r -> r.windowStart() == at("10:50:00")).findFirst().orElseThrow();
            assertThat(first.windowEnd()).isEqualTo(at("10:51:00"));
            assertThat(first.uniqueUsers()).as(mode).isEqualTo(3);
            assertThat(first.totalOrders()).isEqualTo(4);
            assertThat(first.totalRevenue()).isEqualByComparingTo("750");
            assertThat(first.avgOrderValue()).isEqualByComparingTo("187.5");
            assertThat(results).hasSize(2);
        }
    }

    @Test
    void approximateDistinctUsersStaysWithinTwoPercent() throws Exception {
        Random random = new Random(3);
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 120_000; i++) {
            orders.add(new Order("o" + i, "user-" + random.nextInt(60_000), BigDecimal.ONE, "pending", 1, Order.CREATED,
                    at("10:50:00") + random.nextInt(60_000), 0));
        }
        long exact = orders.stream().map(Order::userId).distinct().count();
        StreamExecutionEnvironment env = env();
        OrdersConfig config = OrdersConfig.with(Map.of("aggregate.distinct", "approx"));

        List<OrderWindowResult> results = run(env, OrdersPipeline.build(
                events(env, orders, Order.class, Order::createdAt, Duration.ofMinutes(2)), config).results());

        assertThat(results).hasSize(1);
        assertThat((double) results.get(0).uniqueUsers()).isCloseTo(exact, within(exact * 0.02));
        assertThat(results.get(0).totalOrders()).isEqualTo(120_000);
    }

    @Test
    void seed002EveryWindowHoldsOnlyPaidAmountsOfTenTimesTheLeadingDigitWithExactAverages() throws Exception {
        Random random = new Random(2);
        List<Transaction> transactions = new ArrayList<>();
        long start = at("10:00:00");
        for (int i = 0; i < 3_000; i++) {
            int digit = random.nextInt(10);
            long paid = digit == 0 ? 100 : 10L * digit;
            transactions.add(new Transaction("t" + i, digit + "-user", paid, random.nextBoolean() ? "Paid" : "Refused",
                    start + i * 20L + random.nextInt(500), 0));
        }
        StreamExecutionEnvironment env = env();
        PaymentsConfig config = PaymentsConfig.with(Map.of());

        List<PaymentWindowResult> results = run(env, PaymentsPipeline.build(
                events(env, transactions, Transaction.class, Transaction::eventTime, config.common().outOfOrderness()),
                config).results());

        Map<Long, List<Transaction>> expected = transactions.stream().filter(t -> t.status().equals("Paid"))
                .collect(Collectors.groupingBy(t -> t.eventTime() - Math.floorMod(t.eventTime(), 3000L), TreeMap::new,
                        Collectors.toList()));
        assertThat(results).hasSize(expected.size());
        for (PaymentWindowResult r : results) {
            List<Transaction> paid = expected.get(r.windowStart());
            long total = paid.stream().mapToLong(Transaction::totalPaid).sum();
            assertThat(r.windowEnd() - r.windowStart()).isEqualTo(3000);
            assertThat(r.totalTransactions()).isEqualTo(paid.size());
            assertThat(r.totalPaid()).isEqualTo(total).isEqualTo(paid.stream().mapToLong(t -> {
                int d = t.userId().charAt(0) - '0';
                return d == 0 ? 100 : 10L * d;
            }).sum());
            assertThat(r.averageTransactionValue()).isEqualTo(
                    BigDecimal.valueOf(total).divide(BigDecimal.valueOf(paid.size()), 8, RoundingMode.HALF_UP));
        }
    }

    @Test
    void seed004SampleGivesSevenTenSecondWindowsSlidingFiveSeconds() throws Exception {
        List<StockTick> ticks = new ArrayList<>();
        StockTickDecoder decoder = new StockTickDecoder(Duration.ofDays(365 * 100).toMillis());
        try (InputStream in = getClass().getResourceAsStream("/seed004-sample-stocks.csv")) {
            int line = 0;
            for (String text : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                ticks.add(decoder.decodeLine(text, "fixture:" + ++line, 0));
            }
        }
        StreamExecutionEnvironment env = env();
        MovingAveragesConfig config = MovingAveragesConfig.with(Map.of("window.size", "10s", "window.slide", "5s"));

        List<StockAverage> results = run(env, MovingAveragesPipeline.build(
                events(env, ticks, StockTick.class, StockTick::timestamp, config.common().outOfOrderness()), config).results());

        assertThat(results).hasSize(7);
        assertThat(results.stream().collect(Collectors.groupingBy(StockAverage::stockName, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(Map.of("AMC", 2L, "AGL", 3L, "ANZ", 2L));
        // [21:01:05, 21:01:15) local time of the seed (UTC+10).
        StockAverage firstAmc = results.stream().filter(r -> r.stockName().equals("AMC"))
                .min((a, b) -> Long.compare(a.start(), b.start())).orElseThrow();
        assertThat(Instant.ofEpochMilli(firstAmc.start())).isEqualTo(Instant.parse("2018-08-21T11:01:05Z"));
        assertThat(firstAmc.end() - firstAmc.start()).isEqualTo(10_000);
        assertThat(firstAmc.count()).isEqualTo(2);
        assertThat(firstAmc.price()).isEqualByComparingTo("457.15");
        assertThat(firstAmc.minPrice()).isEqualByComparingTo("158.84");
        assertThat(firstAmc.maxPrice()).isEqualByComparingTo("755.46");
    }
}
