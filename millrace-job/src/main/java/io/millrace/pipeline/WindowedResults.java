package io.millrace.pipeline;

import io.millrace.function.LateEventGate;
import io.millrace.function.WindowRejects;
import io.millrace.model.LateEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/** The result streams of a windowed Kafka-to-Kafka pipeline: window results, and events beyond lateness. */
public record WindowedResults<R>(DataStream<R> results, DataStream<LateEvent> late) {

    /**
     * Results of a window operator whose rejected events went to {@code rejected}: those join the gate's late
     * events, so nothing the gate let through can vanish in the window operator.
     */
    public static <T, R> WindowedResults<R> of(SingleOutputStreamOperator<R> results, DataStream<LateEvent> gateLate,
            OutputTag<T> rejected, LateEventGate.LateMapper<T, LateEvent> asLate) {
        DataStream<LateEvent> windowLate = results.getSideOutput(rejected)
                .process(new WindowRejects<>(asLate), TypeInformation.of(LateEvent.class))
                .name("Events of closed windows");
        return new WindowedResults<>(results, gateLate.union(windowLate));
    }
}
