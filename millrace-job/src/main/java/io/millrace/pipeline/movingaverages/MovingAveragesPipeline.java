package io.millrace.pipeline.movingaverages;

import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigKey;
import io.millrace.function.LateEventGate;
import io.millrace.function.LatenessRule;
import io.millrace.function.StockStatsAggregator;
import io.millrace.function.WindowFiringTrigger;
import io.millrace.function.WindowResultFunctions;
import io.millrace.model.LateEvent;
import io.millrace.model.StockAverage;
import io.millrace.model.StockTick;
import io.millrace.pipeline.WindowedResults;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * The {@code moving-averages} pipeline: stock ticks with event-time timestamps in; per stock and
 * sliding window (3 s every 1 s by default), mean, min and max price and count out. In {@code append} mode
 * each window is emitted once, when final; in {@code update} mode also while open, every
 * {@code window.early-fire-interval}. A tick is late once the earliest of its windows is final, so it is
 * counted in all of its windows or in none.
 */
public final class MovingAveragesPipeline {

    private MovingAveragesPipeline() {}

    public static WindowedResults<StockAverage> build(DataStream<StockTick> ticks, MovingAveragesConfig config) {
        CommonSettings s = config.common();
        long size = s.windowSize().toMillis();
        long slide = config.slide().toMillis();
        LateEventGate.LateMapper<StockTick, LateEvent> asLate = (tick, watermark) -> new LateEvent(
                MovingAveragesConfig.PIPELINE, tick.id(), tick.partition(), tick.timestamp(), watermark,
                LateEventGate.REASON, WindowJsonEncoder.stockTick(tick));
        LateEventGate<StockTick, LateEvent> gate = new LateEventGate<>(TypeInformation.of(StockTick.class),
                StockTick::timestamp, StockTick::partition, s.outOfOrderness().toMillis(),
                LatenessRule.sliding(size, slide, s.allowedLateness().toMillis()), asLate,
                TypeInformation.of(LateEvent.class));
        OutputTag<StockTick> rejected = new OutputTag<>("rejected-ticks", TypeInformation.of(StockTick.class));
        SingleOutputStreamOperator<StockTick> onTime = ticks
                .process(gate)
                .name("Route late ticks")
                .uid("late-tick-gate");
        WindowedStream<StockTick, String, TimeWindow> windows = onTime
                .keyBy(StockTick::name)
                .window(SlidingEventTimeWindows.of(s.windowSize(), config.slide()))
                .allowedLateness(config.aggregation().windowRetention(s.allowedLateness()))
                .sideOutputLateData(rejected);
        if (config.mode() == OutputMode.UPDATE) {
            windows = windows.trigger(WindowFiringTrigger.early(config.earlyFireInterval().toMillis(),
                    WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS));
        } else {
            windows = windows.trigger(WindowFiringTrigger.onTime(WindowFiringTrigger.DEFAULT_CORRECTION_DELAY_MS));
        }
        SingleOutputStreamOperator<StockAverage> results = windows
                .aggregate(new StockStatsAggregator(), new WindowResultFunctions.Stocks())
                .name("Moving averages (" + ConfigKey.word(config.mode()) + ")")
                .uid("moving-averages");
        return WindowedResults.of(results, onTime.getSideOutput(gate.lateTag()), rejected, asLate);
    }
}
