package io.millrace.source;

import io.millrace.model.DeadLetter;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.types.Either;

/** Watermark strategies: bounded out-of-orderness on the payload's event time, with idleness. */
public final class Watermarks {

    private Watermarks() {}

    /** For plain event streams (tests and file sources). */
    public static <T> WatermarkStrategy<T> boundedOutOfOrderness(EventTime<T> eventTime, Duration bound, Duration idleTimeout) {
        SerializableTimestampAssigner<T> assigner = (event, kafkaTimestamp) -> eventTime.of(event);
        WatermarkStrategy<T> strategy = WatermarkStrategy.<T>forBoundedOutOfOrderness(bound).withTimestampAssigner(assigner);
        return idleTimeout.isZero() ? strategy : strategy.withIdleness(idleTimeout);
    }

    /**
     * For decoded Kafka records. A dead letter gets timestamp {@code Long.MIN_VALUE}, so it never
     * advances the watermark: an invalid far-future timestamp must not close every window.
     */
    public static <T> WatermarkStrategy<Either<DeadLetter, T>> decoded(EventTime<T> eventTime, Duration bound,
            Duration idleTimeout) {
        SerializableTimestampAssigner<Either<DeadLetter, T>> assigner =
                (record, kafkaTimestamp) -> record.isRight() ? eventTime.of(record.right()) : Long.MIN_VALUE;
        WatermarkStrategy<Either<DeadLetter, T>> strategy =
                WatermarkStrategy.<Either<DeadLetter, T>>forBoundedOutOfOrderness(bound).withTimestampAssigner(assigner);
        return idleTimeout.isZero() ? strategy : strategy.withIdleness(idleTimeout);
    }

    /**
     * As {@link #decoded}, with watermark alignment: a split whose watermark runs more than {@code maxDrift}
     * ahead of the group's slowest is paused. Without it, catching up on a backlog lets one partition race
     * minutes ahead, and every record it reads waits in state for the slowest one.
     */
    public static <T> WatermarkStrategy<Either<DeadLetter, T>> decodedAligned(EventTime<T> eventTime, Duration bound,
            Duration idleTimeout, String group, Duration maxDrift) {
        WatermarkStrategy<Either<DeadLetter, T>> strategy = decoded(eventTime, bound, idleTimeout);
        return maxDrift.isZero() ? strategy : strategy.withWatermarkAlignment(group, maxDrift, Duration.ofMillis(100));
    }
}
