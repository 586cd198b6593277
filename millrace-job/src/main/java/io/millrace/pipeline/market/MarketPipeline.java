package io.millrace.pipeline.market;

import io.millrace.config.StateBackend;
import io.millrace.function.LateEventGate;
import io.millrace.function.LatenessRule;
import io.millrace.function.PayloadTimeTumblingWindows;
import io.millrace.function.SectorMetricsAggregator;
import io.millrace.function.SectorMetricsPreAggregator;
import io.millrace.function.SectorMetricsWindowFunction;
import io.millrace.function.SectorWindowPartial;
import io.millrace.function.TradeEnrichmentFunction;
import io.millrace.function.WindowFiringTrigger;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.LateTrade;
import io.millrace.model.MarketInfo;
import io.millrace.model.SectorMetrics;
import io.millrace.model.Trade;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * The {@code market} pipeline as a function over streams: trades and info versions, both
 * carrying event-time timestamps and watermarks, in; enriched trades, 1-minute sector metrics and late
 * trades out. Sources and sinks are attached by {@link MarketDefinition}.
 */
public final class MarketPipeline {

    static final OutputTag<LateTrade> WINDOW_CLOSED =
            new OutputTag<>("window-closed", TypeInformation.of(LateTrade.class));

    private MarketPipeline() {}

    public static MarketResults build(DataStream<Trade> trades, DataStream<MarketInfo> infos, MarketConfig config) {
        Enrichment enrichment = enrich(trades, infos, config);
        Aggregation aggregation = aggregate(enrichment.enriched(), config);
        return new MarketResults(enrichment.enriched(), aggregation.sectorMetrics(),
                enrichment.lateTrades().union(aggregation.lateTrades()));
    }

    /** Enriched trades, and the trades the late gate turned away before enrichment. */
    public record Enrichment(DataStream<EnrichedTrade> enriched, DataStream<LateTrade> lateTrades) {}

    /** Sector metrics, and the trades the window operator found too late (a safety net: normally none). */
    public record Aggregation(DataStream<SectorMetrics> sectorMetrics, DataStream<LateTrade> lateTrades) {}

    /** The first half: the late gate and the enrichment with the info version valid at each trade's time. */
    public static Enrichment enrich(DataStream<Trade> trades, DataStream<MarketInfo> infos, MarketConfig config) {
        long windowSize = config.windowSize().toMillis();
        long lateness = config.allowedLateness().toMillis();

        // Chained to the source: lateness is decided per input partition, before any shuffle.
        LateEventGate<Trade, LateTrade> gate = new LateEventGate<>(TypeInformation.of(Trade.class), Trade::timestamp,
                Trade::partition, config.outOfOrderness().toMillis(), LatenessRule.tumbling(windowSize, lateness),
                (trade, watermark) -> LateTrade.of(trade, watermark, LateEventGate.REASON), TypeInformation.of(LateTrade.class));
        SingleOutputStreamOperator<Trade> onTime = trades
                .process(gate)
                .name("Route late trades")
                .uid("late-trade-gate");

        SingleOutputStreamOperator<EnrichedTrade> enriched = onTime
                .keyBy(Trade::symbol)
                .connect(infos.keyBy(MarketInfo::symbol))
                .process(new TradeEnrichmentFunction(config.enrichmentMode() == EnrichmentMode.EVENT_TIME,
                        config.maxWait().toMillis(), windowSize, lateness, config.dedup(),
                        config.common().stateBackend() == StateBackend.HASHMAP))
                .name("Trade enrichment")
                .uid("trade-enrichment");
        return new Enrichment(enriched, onTime.getSideOutput(gate.lateTag()));
    }

    /** The second half: 1-minute (window.size) sector metrics over enriched trades, by their trade time. */
    public static Aggregation aggregate(DataStream<EnrichedTrade> enriched, MarketConfig config) {
        long windowSize = config.windowSize().toMillis();
        // Chained to whatever enriched the trades: a few partial totals per sector window cross the shuffle to the
        // window operator instead of every trade.
        SectorMetricsPreAggregator preAggregator = new SectorMetricsPreAggregator(windowSize,
                config.allowedLateness().toMillis(), WINDOW_CLOSED);
        SingleOutputStreamOperator<SectorWindowPartial> partials = enriched
                .transform("Sector totals per subtask", TypeInformation.of(SectorWindowPartial.class), preAggregator)
                .uid("sector-metrics-pre-aggregation");
        WindowedStream<SectorWindowPartial, String, TimeWindow> windows = partials
                .keyBy(SectorWindowPartial::sector)
                .window(new PayloadTimeTumblingWindows<SectorWindowPartial>(windowSize, SectorWindowPartial::windowStart))
                .allowedLateness(config.allowedLateness());
        // One result per window when the watermark closes it, then one correction per burst of late trades:
        // every record of a window (in a topic, every firing stays readable) is a result worth publishing.
        windows = windows.trigger(config.earlyFireInterval().isZero()
                ? WindowFiringTrigger.onTime(WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS)
                : WindowFiringTrigger.early(config.earlyFireInterval().toMillis(),
                        WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS));
        SingleOutputStreamOperator<SectorMetrics> metrics = windows
                .aggregate(new SectorMetricsAggregator(), new SectorMetricsWindowFunction())
                .name("Sector metrics (" + config.windowSize() + " windows)")
                .uid("sector-metrics");

        // The gate already routes everything the window could reject; this is a safety net that keeps the
        // "never silently dropped" promise should the two ever disagree.
        return new Aggregation(metrics, partials.getSideOutput(preAggregator.lateTag()));
    }
}
