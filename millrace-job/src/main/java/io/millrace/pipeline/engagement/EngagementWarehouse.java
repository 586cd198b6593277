package io.millrace.pipeline.engagement;

import io.millrace.sink.RowConverter;
import io.millrace.sink.WarehouseTable;
import org.apache.flink.table.data.GenericRowData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The warehouse table {@code engagement_events}: every enriched engagement event, one row each (keyed by the
 * event's id), partitioned by the day of its event time, and the converter that writes an
 * {@link EnrichedEngagement} as its row.
 */
public final class EngagementWarehouse {

    public static final String TABLE_NAME = "engagement_events";
    /** Room for any share the pipeline computes: up to 99 999 999 % (a duration far above the length). */
    public static final int PCT_PRECISION = 12;

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "content_id", Types.StringType.get()),
            Types.NestedField.optional(3, "user_id", Types.StringType.get()),
            Types.NestedField.optional(4, "event_type", Types.StringType.get()),
            Types.NestedField.required(5, "event_ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(6, "duration_ms", Types.IntegerType.get()),
            Types.NestedField.optional(7, "device", Types.StringType.get()),
            Types.NestedField.optional(8, "content_type", Types.StringType.get()),
            Types.NestedField.optional(9, "length_seconds", Types.IntegerType.get()),
            Types.NestedField.optional(10, "engagement_pct", Types.DecimalType.of(PCT_PRECISION, EngagementShare.SCALE)),
            Types.NestedField.required(11, "commit_ts", Types.TimestampType.withZone()));

    // By day: a few large files a day at demo rates, and day-bounded queries read only their days.
    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).day("event_ts").build();

    public static final WarehouseTable TABLE = table(TABLE_NAME);

    /** The table under another name ({@code sink.warehouse.table}). */
    public static WarehouseTable table(String name) {
        return WarehouseTable.of(name, SCHEMA, SPEC);
    }

    /** An event as its row, columns in {@link #SCHEMA}'s order. */
    public static final RowConverter<EnrichedEngagement> ROWS = e -> GenericRowData.of(
            e.id(),
            RowConverter.text(e.contentId()),
            RowConverter.text(e.userId()),
            RowConverter.text(e.eventType()),
            RowConverter.timestamp(e.eventTs()),
            e.durationMs(),
            RowConverter.text(e.device()),
            RowConverter.text(e.contentType()),
            e.lengthSeconds(),
            RowConverter.decimal(e.engagementPct(), PCT_PRECISION, EngagementShare.SCALE),
            RowConverter.timestamp(e.commitTs()));

    private EngagementWarehouse() {}
}
