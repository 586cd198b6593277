package io.millrace.function;

import io.millrace.codec.InvalidRecordException;
import io.millrace.codec.StockTickDecoder;
import io.millrace.model.DeadLetter;
import io.millrace.model.StockTick;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes text lines from a file or socket source (one reader): valid ticks continue, others go to
 * {@link DeadLetterSplitter#DEAD_LETTERS}. Lines are numbered in reading order (checkpointed), which gives
 * each record an id such as {@code file:/data/stocks.csv:42}.
 */
public final class LineDecodingFunction extends ProcessFunction<String, StockTick> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final String source;
    private final StockTickDecoder decoder;
    private transient long lines;
    private transient ListState<Long> linesState;

    public LineDecodingFunction(String pipeline, String source, long maxFutureMillis) {
        this.pipeline = pipeline;
        this.source = source;
        this.decoder = new StockTickDecoder(maxFutureMillis);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<StockTick> out) {
        long number = ++lines;
        if (line.isBlank()) {
            return;
        }
        try {
            out.collect(decoder.decodeLine(line, source + ":" + number, 0));
        } catch (InvalidRecordException e) {
            ctx.output(DeadLetterSplitter.DEAD_LETTERS, new DeadLetter(pipeline, source, 0, number, null,
                    line.getBytes(StandardCharsets.UTF_8), e.getMessage(), System.currentTimeMillis()));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        linesState.update(List.of(lines));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        linesState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("lines-read", Types.LONG));
        lines = 0;
        for (Long n : linesState.get()) {
            lines = Math.max(lines, n);
        }
    }
}
