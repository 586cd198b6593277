package io.millrace.function;

import io.millrace.model.LateEvent;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reports an event a window operator rejected as late although the late-event gate had accepted it: its
 * window was purged while its partition was idle for longer than the idle catch-up. Rare, but never silent.
 */
public final class WindowRejects<T> extends ProcessFunction<T, LateEvent> {
    private static final long serialVersionUID = 1L;

    public static final String REASON = "window already closed (its partition was idle past window.idle-catch-up)";

    private final LateEventGate.LateMapper<T, LateEvent> describe;

    public WindowRejects(LateEventGate.LateMapper<T, LateEvent> describe) {
        this.describe = describe;
    }

    @Override
    public void processElement(T event, Context ctx, Collector<LateEvent> out) {
        LateEvent late = describe.late(event, ctx.timerService().currentWatermark());
        out.collect(new LateEvent(late.pipeline(), late.id(), late.partition(), late.eventTime(), late.watermark(),
                REASON, late.event()));
    }
}
