package io.millrace.job;

import io.millrace.codec.StockTickDecoder;
import io.millrace.codec.StreamJsonEncoder;
import io.millrace.config.MovingAveragesConfig;
import io.millrace.config.StreamSettings;
import io.millrace.function.DeadLetterSplitter;
import io.millrace.function.LineDecodingFunction;
import io.millrace.model.DeadLetter;
import io.millrace.model.StockTick;
import io.millrace.source.TopicAdmin;
import io.millrace.source.TopicSpec;
import io.millrace.source.Watermarks;
import io.millrace.pipeline.MovingAveragesPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code moving-averages} job: stock ticks (CSV lines as in seed 004, or JSON) from the {@code stocks}
 * topic, a file or directory (replayed in event time), or a TCP socket, through
 * {@link MovingAveragesPipeline} into {@code stocks_averages} (key: stock name),
 * {@code moving-averages.late} and {@code moving-averages.dlq}. Options: {@link MovingAveragesConfig}.
 * Only the Kafka source is replayable, so only it gives exactly-once results across a crash.
 */
public final class MovingAveragesJob {

    public static final String NAME = "millrace-moving-averages";

    private MovingAveragesJob() {}

    public static void main(String[] args) throws Exception {
        MovingAveragesConfig config = MovingAveragesConfig.from(JobArguments.settings(args, MovingAveragesConfig.keys()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config.parallelism(), config.checkpointInterval(), config.checkpointDir(), config.stateBackend());
        TopicAdmin.ensure(config.kafka(), topics(config));
        attach(env, config);
        env.execute(NAME);
    }

    /** Keyed by stock, so every window stays readable: not compacted. */
    public static List<TopicSpec> topics(MovingAveragesConfig config) {
        List<TopicSpec> topics = new ArrayList<>(StreamJobs.topics(config.stream(), false));
        if (!config.kafkaSource()) {
            topics.removeIf(t -> t.name().equals(config.stream().inputTopic()));
        }
        return topics;
    }

    public static void attach(StreamExecutionEnvironment env, MovingAveragesConfig config) {
        StreamSettings s = config.stream();
        SingleOutputStreamOperator<StockTick> ticks;
        DataStream<DeadLetter> deadLetters;
        if (config.kafkaSource()) {
            ticks = StreamJobs.kafkaInput(env, s, new StockTickDecoder(s.maxFuture().toMillis()), StockTick.class,
                    StockTick::timestamp);
            deadLetters = ticks.getSideOutput(DeadLetterSplitter.DEAD_LETTERS);
        } else {
            DataStream<String> lines;
            if (config.source().startsWith("file:")) {
                String path = config.source().substring("file:".length());
                lines = env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(StandardCharsets.UTF_8.name()),
                                new Path(path)).build(), WatermarkStrategy.noWatermarks(), "Files " + path)
                        .setParallelism(1)
                        .uid("source-files");
            } else {
                String[] hostPort = config.source().substring("socket:".length()).split(":");
                lines = env.socketTextStream(hostPort[0], Integer.parseInt(hostPort[1])).uid("source-socket");
            }
            // One reader, in reading order: the single "partition" 0 of the late-event gate.
            SingleOutputStreamOperator<StockTick> decoded = lines
                    .process(new LineDecodingFunction(s.pipeline(), config.source(), s.maxFuture().toMillis()))
                    .setParallelism(1)
                    .name("Decode lines")
                    .uid("decode-lines");
            deadLetters = decoded.getSideOutput(DeadLetterSplitter.DEAD_LETTERS);
            ticks = decoded
                    .assignTimestampsAndWatermarks(Watermarks.boundedOutOfOrderness(StockTick::timestamp,
                            s.outOfOrderness(), Duration.ZERO))
                    .setParallelism(1)
                    .name("Event time");
        }
        StreamJobs.attachOutputs(s, MovingAveragesPipeline.build(ticks, config),
                r -> r.stockName().getBytes(StandardCharsets.UTF_8), StreamJsonEncoder::stockAverage, deadLetters);
    }
}
