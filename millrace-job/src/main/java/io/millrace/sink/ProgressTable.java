package io.millrace.sink;

/**
 * {@code millrace_progress}: per pipeline, sink and subtask, the highest watermark whose effects are
 * written. It is updated in the same transaction as the rows, so a reader knows which results are final:
 * every window that closed at or before {@code min(watermark)} over a sink's subtasks is in the table.
 */
public final class ProgressTable {

    public static final String NAME = "millrace_progress";

    public static final String DDL = """
            CREATE TABLE IF NOT EXISTS millrace_progress (
                pipeline    text NOT NULL,
                sink        text NOT NULL,
                subtask     int NOT NULL,
                parallelism int NOT NULL,
                watermark   bigint NOT NULL,
                updated_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (pipeline, sink, subtask)
            )""";

    /** Watermarks only move forward: a replay after recovery must not make final results look pending. */
    static final String UPSERT = """
            INSERT INTO millrace_progress (pipeline, sink, subtask, parallelism, watermark, updated_at)
            VALUES (?, ?, ?, ?, ?, now())
            ON CONFLICT (pipeline, sink, subtask) DO UPDATE SET
                parallelism = EXCLUDED.parallelism,
                watermark = GREATEST(millrace_progress.watermark, EXCLUDED.watermark),
                updated_at = now()""";

    static final String DELETE_STALE_SUBTASKS =
            "DELETE FROM millrace_progress WHERE pipeline = ? AND sink = ? AND subtask >= ?";

    private ProgressTable() {}
}
