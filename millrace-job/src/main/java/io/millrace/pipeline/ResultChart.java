package io.millrace.pipeline;

import java.util.List;

/**
 * One chart of a pipeline's latest results, as the dashboard draws it from the rows of
 * {@link PipelineDefinition#latestResults}: x is {@code timeField} (ISO-8601 text or epoch ms), one line per value
 * field, or per value of {@code seriesField} when set (at most {@link #MAX_SERIES}, the most recent first).
 *
 * @param title the chart's title
 * @param unit what the y axis counts, e.g. "USD" or "orders"
 * @param timeField the row field holding the window's time
 * @param seriesField the row field that splits rows into lines (e.g. a sector), or null for one line per value field
 * @param valueFields the row fields drawn; for {@link Style#BAND}: low, middle, high
 * @param style how the values are drawn
 */
public record ResultChart(String title, String unit, String timeField, String seriesField, List<String> valueFields,
        Style style) {

    /** The most lines a chart splits into, so it stays readable. */
    public static final int MAX_SERIES = 6;

    /** How a chart draws its value fields. */
    public enum Style {
        /** One line per value field (or per series). */
        LINES,
        /** A middle line between a low and a high line, per series. */
        BAND
    }

    public ResultChart {
        valueFields = List.copyOf(valueFields);
        if (style == Style.BAND && valueFields.size() != 3) {
            throw new IllegalArgumentException("a band chart takes low, middle and high fields, got " + valueFields);
        }
    }

    public static ResultChart lines(String title, String unit, String timeField, String seriesField, String... values) {
        return new ResultChart(title, unit, timeField, seriesField, List.of(values), Style.LINES);
    }
}
