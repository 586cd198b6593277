package io.millrace.function;

import io.millrace.model.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Routes decoded records: events continue, dead letters go to the {@link #DEAD_LETTERS} side output. */
public final class DeadLetterSplitter<T> extends ProcessFunction<Either<DeadLetter, T>, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final TypeInformation<T> eventType;
    private transient Counter deadLetters;

    public DeadLetterSplitter(Class<T> eventClass) {
        this.eventType = TypeInformation.of(eventClass);
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Either<DeadLetter, T> record, Context ctx, Collector<T> out) {
        if (record.isRight()) {
            out.collect(record.right());
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.left());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return eventType;
    }
}
