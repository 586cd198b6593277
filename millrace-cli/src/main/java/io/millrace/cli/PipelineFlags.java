package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.config.MovingAveragesConfig;
import io.millrace.config.OrdersConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Flags that set one pipeline's main choices; each is rejected for pipelines it does not apply to. */
final class PipelineFlags {

    @Option(names = "--distinct", paramLabel = "exact|approx",
            description = "orders: unique_users exactly, or with a HyperLogLog sketch (setting 'aggregate.distinct')")
    String distinct;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "moving-averages: kafka, file:PATH (a file or directory, replayed in event time) or "
                    + "socket:HOST:PORT (setting 'source')")
    String source;

    @Option(names = "--mode", paramLabel = "append|update",
            description = "moving-averages: each window once when final, or early results then the final one "
                    + "(setting 'output.mode')")
    String mode;

    @Option(names = "--kafka-output", description = "market: also publish the results to Kafka topics, exactly once "
            + "(setting 'output.kafka'; the other pipelines always write Kafka)")
    boolean kafkaOutput;

    Map<String, String> asSettings(String pipeline) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (distinct != null) {
            only(pipeline, OrdersConfig.PIPELINE, "--distinct");
            settings.put(OrdersConfig.DISTINCT.name(), distinct);
        }
        if (source != null) {
            only(pipeline, MovingAveragesConfig.PIPELINE, "--source");
            settings.put(MovingAveragesConfig.SOURCE.name(), source);
        }
        if (mode != null) {
            only(pipeline, MovingAveragesConfig.PIPELINE, "--mode");
            settings.put(MovingAveragesConfig.MODE.name(), mode);
        }
        if (kafkaOutput) {
            only(pipeline, MarketConfig.PIPELINE, "--kafka-output");
            settings.put(MarketConfig.OUTPUT_KAFKA.name(), "true");
        }
        return settings;
    }

    /** The same choices as command-line arguments, for the hints printed after a run. */
    String asArguments() {
        StringBuilder args = new StringBuilder();
        if (distinct != null) {
            args.append(" --distinct ").append(distinct);
        }
        if (mode != null) {
            args.append(" --mode ").append(mode);
        }
        if (kafkaOutput) {
            args.append(" --kafka-output");
        }
        return args.toString();
    }

    private static void only(String pipeline, String expected, String flag) {
        if (!pipeline.equals(expected)) {
            throw new UserError(flag + " applies to the " + expected + " pipeline, not " + pipeline);
        }
    }
}
