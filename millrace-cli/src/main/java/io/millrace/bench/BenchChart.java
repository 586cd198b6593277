package io.millrace.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/** The chart of a benchmark comparison (JFreeChart, headless): rows/s per variant, CPU seconds on a second axis. */
public final class BenchChart {

    private static final String LIMIT = "PostgreSQL limit";

    private BenchChart() {}

    public static void writePng(BenchComparison comparison, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset rates = new DefaultCategoryDataset();
        DefaultCategoryDataset cpu = new DefaultCategoryDataset();
        for (BenchResult r : comparison.results()) {
            rates.addValue(r.rowsPerSecondFromSubmit(), "rows/s from submit", r.variant());
            if (!Double.isNaN(r.secondsFromFirstRead())) {
                rates.addValue(r.rowsPerSecondFromFirstRead(), "rows/s from the first read", r.variant());
            }
            cpu.addValue(Double.isNaN(r.cpuSeconds()) ? null : r.cpuSeconds(), "CPU seconds of the job", r.variant());
        }
        // The decode limit is several times the others and would flatten them: it goes in the title instead.
        if (!Double.isNaN(comparison.postgresLimit())) {
            rates.addValue(comparison.postgresLimit(), "PostgreSQL COPY + upsert limit", LIMIT);
            // The second axis lines its categories up by position: it needs the same columns.
            cpu.addValue(null, "CPU seconds of the job", LIMIT);
        }
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.02);
        Color[] palette = {new Color(0x1E88E5), new Color(0x90CAF9), new Color(0x8D6E63)};
        for (int i = 0; i < palette.length; i++) {
            bars.setSeriesPaint(i, palette[i]);
        }
        CategoryPlot plot = new CategoryPlot(rates, new CategoryAxis(null), new NumberAxis("rows/s"), bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (cpu.getColumnCount() > 0) {
            NumberAxis seconds = new NumberAxis("CPU seconds");
            plot.setRangeAxis(1, seconds);
            plot.setDataset(1, cpu);
            plot.mapDatasetToRangeAxis(1, 1);
            LineAndShapeRenderer points = new LineAndShapeRenderer(false, true);
            points.setSeriesPaint(0, new Color(0xE53935));
            points.setSeriesStroke(0, new BasicStroke(2.5f));
            plot.setRenderer(1, points);
            plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        }
        String title = String.format("millrace bench %s: %,d records at %,.0f per event-second%s", comparison.pipeline(),
                comparison.records(), comparison.eventRate(),
                comparison.generatorOptions().isEmpty() ? "" : ", " + comparison.generatorOptions());
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        if (!Double.isNaN(comparison.consumeDecodeLimit())) {
            chart.addSubtitle(new TextTitle(String.format("%s; consume + decode limit (one Kafka consumer, no Flink): "
                    + "%,.0f records/s", comparison.machine(), comparison.consumeDecodeLimit())));
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 520);
    }
}
