package io.millrace.stress;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The chart of a stress run (JFreeChart, headless): target and achieved input rate per stage, p99 latency on a second axis. */
public final class StressChart {

    private StressChart() {}

    public static void writePng(StressReport report, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset rates = new DefaultCategoryDataset();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (StageResult s : report.stages()) {
            String stage = String.format("%s %,.0f/s", s.name(), s.targetRate());
            rates.addValue(s.targetRate(), "target rate", stage);
            rates.addValue(s.achievedRate(), "generated", stage);
            rates.addValue(Math.max(0, s.readRate()), "read by the job", stage);
            if (s.latency() != null && s.latency().samples() > 0) {
                latency.addValue(s.latency().p99(), "p99 latency (ms)", stage);
            }
        }
        CategoryAxis stages = new CategoryAxis("stage");
        stages.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0xB0BEC5));
        bars.setSeriesPaint(1, new Color(0x1E88E5));
        bars.setSeriesPaint(2, new Color(0x43A047));
        CategoryPlot plot = new CategoryPlot(rates, stages, new NumberAxis("records/s"), bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (latency.getColumnCount() > 0) {
            NumberAxis ms = new NumberAxis("p99 latency, ms");
            plot.setRangeAxis(1, ms);
            plot.setDataset(1, latency);
            plot.mapDatasetToRangeAxis(1, 1);
            LineAndShapeRenderer line = new LineAndShapeRenderer(true, true);
            line.setSeriesPaint(0, new Color(0xE53935));
            line.setSeriesStroke(0, new BasicStroke(2.5f));
            plot.setRenderer(1, line);
            plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        }
        String title = String.format("millrace stress %s: %s", report.pipeline(),
                report.highestSustainableRate() > 0
                        ? String.format("sustained up to %,.0f records/s", report.highestSustainableRate())
                        : "no stage sustained");
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
    }
}
