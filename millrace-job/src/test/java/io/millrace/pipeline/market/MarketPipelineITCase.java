package io.millrace.pipeline.market;

import static io.millrace.testing.Fixtures.at;
import static io.millrace.testing.Fixtures.info;
import static io.millrace.testing.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.model.EnrichedTrade;
import io.millrace.model.LateTrade;
import io.millrace.model.MarketInfo;
import io.millrace.model.SectorMetrics;
import io.millrace.model.Trade;
import io.millrace.source.Watermarks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The market pipeline on a MiniCluster at parallelism 2, fed from one ordered source split into trades
 * and info (so the join sees every info version the source placed before a trade's watermark).
 */
class MarketPipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final MarketConfig CONFIG = MarketConfig.defaults();
    private static final OutputTag<MarketInfo> INFO = new OutputTag<>("info", TypeInformation.of(MarketInfo.class));

    /** One input event in source order: either a trade or an info version. */
    public record Input(Trade trade, MarketInfo info) {
        long time() {
            return trade != null ? trade.timestamp() : info.timestamp();
        }
    }

    private record Results(List<EnrichedTrade> enriched, List<SectorMetrics> metrics, List<LateTrade> late) {

        /** The last row written per (window, sector): what the upsert sink leaves in the table. */
        Map<String, SectorMetrics> finalMetrics() {
            Map<String, SectorMetrics> last = new TreeMap<>();
            metrics.forEach(m -> last.put(m.windowStart() + "/" + m.sector(), m));
            return last;
        }
    }

    private static Results run(List<Input> inputs) throws Exception {
        return run(inputs, Watermarks.boundedOutOfOrderness(Input::time, CONFIG.outOfOrderness(), Duration.ZERO));
    }

    /**
     * A watermark after every input, at its highest time so far minus the bound: the watermark moves exactly
     * where the input puts it, not at the pace of a periodic timer.
     */
    private static WatermarkStrategy<Input> watermarkPerInput() {
        long bound = CONFIG.outOfOrderness().toMillis();
        return WatermarkStrategy.<Input>forGenerator(context -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + bound + 1;

            @Override
            public void onEvent(Input event, long timestamp, WatermarkOutput output) {
                max = Math.max(max, event.time());
                output.emitWatermark(new Watermark(max - bound - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((event, previous) -> event.time());
    }

    private static Results run(List<Input> inputs, WatermarkStrategy<Input> watermarks) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        env.setParallelism(2);

        SingleOutputStreamOperator<Trade> trades = env
                .fromData(inputs, TypeInformation.of(Input.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1)
                .process(new ProcessFunction<Input, Trade>() {
                    @Override
                    public void processElement(Input in, Context ctx, Collector<Trade> out) {
                        if (in.trade() != null) {
                            out.collect(in.trade());
                        } else {
                            ctx.output(INFO, in.info());
                        }
                    }
                })
                .returns(Trade.class)
                .setParallelism(1);
        DataStream<MarketInfo> infos = trades.getSideOutput(INFO);

        MarketResults results = MarketPipeline.build(trades, infos, CONFIG);
        CloseableIterator<EnrichedTrade> enriched = results.enriched().collectAsync();
        CloseableIterator<SectorMetrics> metrics = results.sectorMetrics().collectAsync();
        CloseableIterator<LateTrade> late = results.lateTrades().collectAsync();
        env.execute("market-pipeline-itcase");
        return new Results(drain(enriched), drain(metrics), drain(late));
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private static Input in(Trade trade) {
        return new Input(trade, null);
    }

    private static Input in(MarketInfo info) {
        return new Input(null, info);
    }

    @Test
    void workedExampleTwoWindowsTwoSectorsAnUpdateADuplicateAndAnUnknownSymbol() throws Exception {
        List<Input> inputs = List.of(
                in(info("AAPL", "Technology", 2_800, at("10:50:00"))),
                in(info("JPM", "Financial Services", 450, at("10:50:00"))),
                in(trade("T1", "AAPL", "178.00", 100, at("10:50:05"))),
                in(trade("T2", "JPM", "150.50", 10, at("10:50:20"))),
                in(trade("T3", "AAPL", "180.00", 300, at("10:50:40"))),
                in(trade("T2", "JPM", "150.50", 10, at("10:50:20"))),
                // Arrives after T5 but belongs to 10:50 and to the version before the 10:51:10 update.
                in(info("AAPL", "Consumer Electronics", 2_900, at("10:51:10"))),
                in(trade("T5", "AAPL", "181.00", 50, at("10:51:15"))),
                in(trade("T4", "AAPL", "179.00", 200, at("10:50:58"))),
                in(trade("T6", "ZZZ", "10.00", 7, at("10:51:30"))));

        Results results = run(inputs);

        Map<String, EnrichedTrade> byId = new HashMap<>();
        results.enriched().forEach(e -> byId.put(e.tradeId(), e));
        assertThat(results.enriched()).hasSize(6);
        assertThat(byId.get("T1").sector()).isEqualTo("Technology");
        assertThat(byId.get("T4").sector()).isEqualTo("Technology");
        assertThat(byId.get("T4").marketCap()).isEqualTo(2_800L);
        assertThat(byId.get("T5").sector()).isEqualTo("Consumer Electronics");
        assertThat(byId.get("T5").infoTimestamp()).isEqualTo(at("10:51:10"));
        assertThat(byId.get("T6").sector()).isEqualTo("UNKNOWN");
        assertThat(byId.get("T6").enriched()).isFalse();
        assertThat(results.late()).isEmpty();

        Map<String, SectorMetrics> metrics = results.finalMetrics();
        assertThat(metrics.keySet()).containsExactlyInAnyOrder(
                at("10:50:00") + "/Technology", at("10:50:00") + "/Financial Services",
                at("10:51:00") + "/Consumer Electronics", at("10:51:00") + "/UNKNOWN");
        // Technology 10:50: 178x100 + 180x300 + 179x200 = 17800 + 54000 + 35800 = 107600 over 600 shares.
        SectorMetrics tech = metrics.get(at("10:50:00") + "/Technology");
        assertThat(tech.windowEnd()).isEqualTo(at("10:51:00"));
        assertThat(tech.tradeCount()).isEqualTo(3);
        assertThat(tech.totalVolume()).isEqualTo(600);
        assertThat(tech.totalValue()).isEqualByComparingTo("107600");
        assertThat(tech.avgPrice()).isEqualTo(new BigDecimal("179.00000000"));
        assertThat(tech.vwap()).isEqualTo(new BigDecimal("179.33333333"));
        assertThat(tech.minPrice()).isEqualByComparingTo("178");
        assertThat(tech.maxPrice()).isEqualByComparingTo("180");
        assertThat(tech.early()).isFalse();
        // The duplicate T2 is counted once.
        SectorMetrics fin = metrics.get(at("10:50:00") + "/Financial Services");
        assertThat(fin.tradeCount()).isEqualTo(1);
        assertThat(fin.totalValue()).isEqualByComparingTo("1505.00");
        assertThat(metrics.get(at("10:51:00") + "/UNKNOWN").totalValue()).isEqualByComparingTo("70.00");
    }

    /**
     * A trade partition far ahead moves the watermark past a window before the trades of another partition
     * (on time by their own partition's clock) arrive for it, as when a backlog is read after an idle spell.
     * The window is then written once with all of them, not once per trade with counts 1, 2, ..., n: every
     * record of a window is final, and the burst costs one correction.
     */
    @Test
    void tradesReachingAnAlreadyClosedWindowInABurstProduceOneResult() throws Exception {
        List<Input> inputs = new ArrayList<>();
        inputs.add(in(info("AAPL", "Technology", 2_800, at("10:00:00"))));
        inputs.add(in(trade("AHEAD", "AAPL", "180.00", 1, at("10:06:00"), 0)));
        for (int i = 1; i <= 5; i++) {
            inputs.add(in(trade("B" + i, "AAPL", "17" + i + ".00", 10 * i, at("10:01:0" + i), 1)));
        }

        Results results = run(inputs, watermarkPerInput());

        assertThat(results.late()).as("within the allowed lateness: counted, not late").isEmpty();
        List<SectorMetrics> firings = results.metrics().stream().filter(m -> m.windowStart() == at("10:01:00")).toList();
        // At parallelism 2 the watermark that closes the window may overtake part of the burst on its way through
        // the operators: then the window is written with what arrived before it, and once more for the rest.
        // Before the fix it was written once per trade (4 or 5 records, counts 1, 2, 3, ...).
        assertThat(firings).as("one result, or one plus one correction for the burst; not one per trade")
                .hasSizeBetween(1, 2);
        SectorMetrics window = firings.get(firings.size() - 1);
        assertThat(window.tradeCount()).isEqualTo(5);
        assertThat(window.totalVolume()).isEqualTo(150);
        // 171x10 + 172x20 + 173x30 + 174x40 + 175x50 = 1710 + 3440 + 5190 + 6960 + 8750
        assertThat(window.totalValue()).isEqualByComparingTo("26050");
        assertThat(window.early()).isFalse();
        assertThat(results.metrics().stream().filter(m -> m.windowStart() == at("10:06:00"))).hasSize(1);
    }

    @Test
    void randomisedOutOfOrderInputMatchesABruteForceRecomputation() throws Exception {
        Random random = new Random(42);
        String[] symbols = {"AAPL", "MSFT", "JPM", "TSLA", "XOM", "KO", "NEWCO"};
        String[] sectors = {"Technology", "Technology", "Financial Services", "Automotive", "Energy", "Staples"};
        List<Input> inputs = new ArrayList<>();
        long clock = at("10:00:00");
        for (int s = 0; s < sectors.length; s++) {
            inputs.add(in(info(symbols[s], sectors[s], 1000 + s, clock)));
        }
        int seq = 0;
        for (int i = 0; i < 20_000; i++) {
            clock += random.nextInt(15);
            if (i % 500 == 0) {
                int s = random.nextInt(sectors.length);
                inputs.add(in(info(symbols[s], random.nextBoolean() ? sectors[s] : sectors[s] + " II", 2000 + i, clock)));
            }
            // NEWCO never gets info: it must come out UNKNOWN.
            String symbol = symbols[random.nextInt(symbols.length)];
            long ts = clock - (random.nextInt(10) == 0 ? random.nextInt(3000) : 0);
            String price = BigDecimal.valueOf(5000 + random.nextInt(20000), 2).toPlainString();
            Trade trade = trade("R" + seq++, symbol, price, 1 + random.nextInt(1000), ts);
            inputs.add(in(trade));
            if (random.nextInt(200) == 0) {
                inputs.add(in(trade));
            }
        }

        Results results = run(inputs);

        Map<String, EnrichedTrade> expected = expectedEnriched(inputs);
        Map<String, EnrichedTrade> actual = new HashMap<>();
        results.enriched().forEach(e -> assertThat(actual.put(e.tradeId(), e)).as("emitted twice: %s", e).isNull());
        assertThat(actual).isEqualTo(expected);
        assertThat(results.late()).isEmpty();
        assertThat(results.finalMetrics()).isEqualTo(expectedMetrics(expected.values()));
        assertThat(results.finalMetrics().values()).noneMatch(SectorMetrics::early);
    }

    /** Newest version with info_timestamp <= t (later in the input wins a tie), first delivery per trade_id. */
    private static Map<String, EnrichedTrade> expectedEnriched(List<Input> inputs) {
        Map<String, List<MarketInfo>> versions = new HashMap<>();
        inputs.stream().filter(i -> i.info() != null)
                .forEach(i -> versions.computeIfAbsent(i.info().symbol(), k -> new ArrayList<>()).add(i.info()));
        Map<String, EnrichedTrade> expected = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Input input : inputs) {
            Trade trade = input.trade();
            if (trade == null || !seen.add(trade.tradeId())) {
                continue;
            }
            MarketInfo best = null;
            for (MarketInfo v : versions.getOrDefault(trade.symbol(), List.of())) {
                if (v.timestamp() <= trade.timestamp() && (best == null || v.timestamp() >= best.timestamp())) {
                    best = v;
                }
            }
            expected.put(trade.tradeId(), best == null ? EnrichedTrade.unknown(trade) : EnrichedTrade.joined(trade, best));
        }
        return expected;
    }

    private static Map<String, SectorMetrics> expectedMetrics(Iterable<EnrichedTrade> trades) {
        Map<String, List<EnrichedTrade>> groups = new TreeMap<>();
        for (EnrichedTrade t : trades) {
            long start = t.tradeTimestamp() - Math.floorMod(t.tradeTimestamp(), 60_000L);
            groups.computeIfAbsent(start + "/" + t.sector(), k -> new ArrayList<>()).add(t);
        }
        Map<String, SectorMetrics> expected = new TreeMap<>();
        groups.forEach((key, group) -> {
            long start = Long.parseLong(key.substring(0, key.indexOf('/')));
            BigDecimal value = BigDecimal.ZERO;
            BigDecimal prices = BigDecimal.ZERO;
            long volume = 0;
            BigDecimal min = group.get(0).price();
            BigDecimal max = group.get(0).price();
            for (EnrichedTrade t : group) {
                value = value.add(t.price().multiply(BigDecimal.valueOf(t.volume())));
                prices = prices.add(t.price());
                volume += t.volume();
                min = min.min(t.price());
                max = max.max(t.price());
            }
            expected.put(key, new SectorMetrics(start, start + 60_000, group.get(0).sector(), group.size(), volume, value,
                    prices.divide(BigDecimal.valueOf(group.size()), 8, RoundingMode.HALF_UP),
                    value.divide(BigDecimal.valueOf(volume), 8, RoundingMode.HALF_UP), min, max, false));
        });
        return expected;
    }
}
