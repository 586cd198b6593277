package io.millrace.pipeline.movingaverages;

import io.millrace.codec.StockTickDecoder;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.function.LineDecodingFunction;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.model.DeadLetter;
import io.millrace.model.StockTick;
import io.millrace.pipeline.GeneratorSpec;
import io.millrace.pipeline.PipelineFlag;
import io.millrace.pipeline.SourceSpec;
import io.millrace.pipeline.WindowAggregationDefinition;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import io.millrace.verify.VerifyResult;
import io.millrace.verify.WindowOracle;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.millrace.pipeline.ResultChart;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code moving-averages} pipeline: stock ticks (CSV lines, or JSON) from the {@code stocks} topic, a file
 * or directory (replayed in event time), or a TCP socket, through {@link MovingAveragesPipeline} into
 * {@code stocks_averages} (key: stock name), {@code moving-averages.late} and {@code moving-averages.dlq}.
 * Options: {@link MovingAveragesConfig}. Only the Kafka source is replayable, so only it gives exactly-once
 * results across a crash.
 */
public final class MovingAveragesDefinition extends WindowAggregationDefinition<MovingAveragesConfig> {

    private static final ConfigKeys GENERATOR_OPTIONS = new ConfigKeys();
    static final ConfigKey<Integer> STOCKS = GENERATOR_OPTIONS.add(ConfigKey.integer("stocks", 10, "distinct stock names"));
    static final ConfigKey<StockTickFormat> FORMAT = GENERATOR_OPTIONS.add(ConfigKey.choice("format", StockTickFormat.CSV,
            "csv or json"));
    static final ConfigKey<String> ZONE = GENERATOR_OPTIONS.add(ConfigKey.string("zone", "Australia/Sydney",
            "time zone of the readable time column"));

    @Override
    public String name() {
        return MovingAveragesConfig.PIPELINE;
    }

    @Override
    public String description() {
        return "per stock, sliding-window (3 s every 1 s) mean, min and max price and count of ticks";
    }

    @Override
    public ConfigKeys keys() {
        return MovingAveragesConfig.keys();
    }

    @Override
    public MovingAveragesConfig config(Settings settings) {
        return MovingAveragesConfig.from(settings);
    }

    @Override
    public List<PipelineFlag> flags() {
        return List.of(
                PipelineFlag.of("--source", MovingAveragesConfig.SOURCE,
                        "kafka, file:PATH (a file or directory, replayed in event time) or socket:HOST:PORT"),
                PipelineFlag.of("--mode", MovingAveragesConfig.MODE,
                        "each window once when final (append), or early results then the final one (update)"));
    }

    /** Keyed by stock, so every window stays readable: not compacted. */
    @Override
    protected boolean compactResults() {
        return false;
    }

    /** Without the Kafka source there is no input topic to create. */
    @Override
    public List<TopicSpec> topics(MovingAveragesConfig config) {
        if (config.source() instanceof TickSource.Kafka) {
            return super.topics(config);
        }
        return super.topics(config).stream().filter(t -> !t.name().equals(config.aggregation().inputTopic())).toList();
    }

    @Override
    public List<SourceSpec> sources(MovingAveragesConfig config) {
        if (config.source() instanceof TickSource.Files f) {
            return List.of(new SourceSpec("file:" + f.path(), "Files " + f.path()));
        }
        if (config.source() instanceof TickSource.Socket s) {
            String address = s.host() + ":" + s.port();
            return List.of(new SourceSpec("socket:" + address, "Socket " + address));
        }
        return super.sources(config);
    }

    @Override
    protected void attach(StreamExecutionEnvironment env, MovingAveragesConfig config) {
        var common = config.common();
        SingleOutputStreamOperator<StockTick> ticks;
        DataStream<DeadLetter> deadLetters;
        if (config.source() instanceof TickSource.Kafka) {
            ticks = kafkaInput(env, config, new StockTickDecoder(common.maxFuture().toMillis()), StockTick.class,
                    StockTick::timestamp);
            deadLetters = ticks.getSideOutput(DeadLetterSplitter.DEAD_LETTERS);
        } else {
            SourceSpec source = sources(config).get(0);
            DataStream<String> lines;
            if (config.source() instanceof TickSource.Files files) {
                lines = env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(StandardCharsets.UTF_8.name()),
                                new Path(files.path())).build(), WatermarkStrategy.noWatermarks(), source.operatorName())
                        .setParallelism(1)
                        .uid("source-files");
            } else {
                TickSource.Socket socket = (TickSource.Socket) config.source();
                lines = env.socketTextStream(socket.host(), socket.port()).name(source.operatorName()).uid("source-socket");
            }
            // One reader, in reading order: the single "partition" 0 of the late-event gate.
            SingleOutputStreamOperator<StockTick> decoded = lines
                    .process(new LineDecodingFunction(common.pipeline(), source.name(), common.maxFuture().toMillis()))
                    .setParallelism(1)
                    .name("Decode lines")
                    .uid("decode-lines");
            deadLetters = decoded.getSideOutput(DeadLetterSplitter.DEAD_LETTERS);
            ticks = decoded
                    .assignTimestampsAndWatermarks(Watermarks.boundedOutOfOrderness(StockTick::timestamp,
                            common.outOfOrderness(), Duration.ZERO))
                    .setParallelism(1)
                    .name("Event time");
        }
        attachOutputs(config, MovingAveragesPipeline.build(ticks, config),
                r -> r.stockName().getBytes(StandardCharsets.UTF_8), WindowJsonEncoder::stockAverage, deadLetters);
    }

    @Override
    protected WindowOracle windowOracle(MovingAveragesConfig config, long now) {
        var c = config.common();
        return new MovingAveragesOracle(c.windowSize().toMillis(), config.slide().toMillis(),
                c.allowedLateness().toMillis(), c.outOfOrderness().toMillis(), c.maxFuture().toMillis(),
                config.mode() == OutputMode.APPEND, now);
    }

    @Override
    public VerifyResult verify(MovingAveragesConfig config, Duration wait, PrintWriter out) throws Exception {
        if (!(config.source() instanceof TickSource.Kafka)) {
            throw new ConfigException("verify recomputes from the input topic; with source " + sources(config).get(0).name()
                    + " there is none to read (verify runs with the Kafka source)");
        }
        return super.verify(config, wait, out);
    }

    @Override
    public GeneratorSpec generatorSpec() {
        return new GeneratorSpec(name(), List.of("stocks"), "Write stock ticks to the stocks topic, as CSV lines "
                + "(AGL,BUY ,239.77,38,1534848940438,2018-08-21 20:55:40.438) or as JSON.", GENERATOR_OPTIONS, Map.of());
    }

    @Override
    public EventGenerator generator(MovingAveragesConfig config, GeneratorOptions shared, Settings options) {
        return new StockEventGenerator(shared, options.get(STOCKS), options.get(FORMAT) == StockTickFormat.JSON,
                options.get(ZONE));
    }

    @Override
    public long eventTime(MovingAveragesConfig config, byte[] value) {
        return decodedTime(new StockTickDecoder(Long.MAX_VALUE / 4), StockTick::timestamp, value);
    }

    /** Per stock, the moving average between the window's lowest and highest price, from the results topic. */
    @Override
    public List<ResultChart> resultCharts(MovingAveragesConfig config) {
        return List.of(new ResultChart("Moving average with min/max band per stock", "price", "end", "stockName",
                List.of("minPrice", "price", "maxPrice"), ResultChart.Style.BAND));
    }
}
