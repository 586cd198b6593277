package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.e2e.LocalStackExtension;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stress payments --start} with two short stages (8 s: enough readings per stage for a fitted rate) against the embedded broker: the JSON report has both stages
 * with achieved rates near their targets, ordered latency percentiles, and a PNG chart beside it.
 */
class StressCommandITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @TempDir
    Path dir;

    @Test
    void shouldMeasureTwoSmallStagesOfPaymentsWithLatencyAndWriteJsonAndChart() throws Exception {
        Path json = dir.resolve("payments.json");
        int exit = Main.execute("stress", "payments", "--start", "--kafka", STACK.kafka(),
                "--stages", "small:200,double:400", "--stage-duration", "8s", "--sample-every", "5",
                "--drain-wait", "40s", "--out", json.toString(),
                "--set", "checkpoint.interval=1s",
                "--set", "checkpoint.dir=" + STACK.checkpoints("payments-stress").toUri());
        assertThat(exit).isZero();

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("pipeline").asText()).isEqualTo("payments");
        JsonNode stages = report.path("stages");
        assertThat(stages).hasSize(2);
        double[] targets = {200, 400};
        for (int i = 0; i < 2; i++) {
            JsonNode stage = stages.get(i);
            assertThat(stage.path("targetRate").asDouble()).isEqualTo(targets[i]);
            assertThat(stage.path("achievedRate").asDouble()).as("generated rate of stage %d", i)
                    .isBetween(0.9 * targets[i], 1.1 * targets[i]);
            assertThat(stage.path("kafkaInputRate").asDouble()).isBetween(0.8 * targets[i], 1.2 * targets[i]);
            assertThat(stage.path("verdict").asText()).isEqualTo("KEPT_UP");
            JsonNode latency = stage.path("latency");
            assertThat(latency.path("samples").asLong()).isPositive();
            long p50 = latency.path("p50").asLong();
            long p95 = latency.path("p95").asLong();
            long p99 = latency.path("p99").asLong();
            assertThat(p50).isPositive();
            assertThat(p50).isLessThanOrEqualTo(p95);
            assertThat(p95).isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(latency.path("max").asLong());
            assertThat(stage.path("sinkRates").has("transactions_aggregate")).isTrue();
        }
        assertThat(report.path("highestSustainableRate").asDouble()).isEqualTo(400);

        Path png = dir.resolve("payments.png");
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a readable PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }
}
