package io.millrace.source;

import io.millrace.model.DeadLetter;
import io.millrace.model.EnrichedTradeLogEntry;
import java.util.Arrays;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.types.Either;

/**
 * Watermarks of a staged topic taken from its markers, not from its data: per partition, the lowest of the
 * newest markers of every subtask of the writing job, i.e. exactly the watermark that job's next operator
 * would have seen. Trades never advance it, so a trade the writing job let through is never late here.
 */
public final class MarkerWatermarks implements WatermarkGenerator<Either<DeadLetter, EnrichedTradeLogEntry>> {

    private long[] newest = new long[0];
    private long current = Long.MIN_VALUE;

    /** The strategy for a source of the staged topic: record timestamps are the trades' (or the markers') event times. */
    public static WatermarkStrategy<Either<DeadLetter, EnrichedTradeLogEntry>> strategy() {
        return WatermarkStrategy.<Either<DeadLetter, EnrichedTradeLogEntry>>forGenerator(context -> new MarkerWatermarks())
                .withTimestampAssigner((record, kafkaTimestamp) -> record.isRight() ? record.right().timestamp()
                        : Long.MIN_VALUE);
    }

    @Override
    public void onEvent(Either<DeadLetter, EnrichedTradeLogEntry> record, long timestamp, WatermarkOutput output) {
        if (record.isLeft() || !record.right().isMarker()) {
            return;
        }
        EnrichedTradeLogEntry marker = record.right();
        if (marker.subtasks() != newest.length) {
            // The writing job was (re)started at another parallelism: only its new subtasks speak from here on.
            newest = new long[marker.subtasks()];
            Arrays.fill(newest, Long.MIN_VALUE);
        }
        if (marker.subtask() < 0 || marker.subtask() >= newest.length) {
            return;
        }
        newest[marker.subtask()] = Math.max(newest[marker.subtask()], marker.watermark());
        long lowest = Arrays.stream(newest).min().orElse(Long.MIN_VALUE);
        if (lowest > current) {
            current = lowest;
            output.emitWatermark(new Watermark(current));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (current > Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(current));
        }
    }
}
