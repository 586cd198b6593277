package io.millrace.cli;

import io.millrace.config.PaymentsConfig;
import io.millrace.config.PipelineConfig;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.OrderEventGenerator;
import io.millrace.gen.PaymentEventGenerator;
import io.millrace.gen.StockEventGenerator;
import io.millrace.gen.StreamGeneratorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The generators of the Kafka-to-Kafka pipelines. */
final class GenStreamCommands {

    private GenStreamCommands() {}

    /** {@code gen orders}. */
    @Command(name = "orders", mixinStandardHelpOptions = true,
            description = "Write order.created events (SPEC 2.2) to the orders topic: a pool of users, amounts 5 to 500, "
                    + "created_at ISO-8601.")
    static final class Orders extends GeneratorCommand {
        @Option(names = "--users", defaultValue = "1000", description = "distinct users (default: ${DEFAULT-VALUE})")
        int users;

        @Override
        Pipeline pipeline() {
            return Pipelines.require("orders");
        }

        @Override
        EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options) {
            return new OrderEventGenerator(options, users);
        }
    }

    /** {@code gen payments}. */
    @Command(name = "payments", mixinStandardHelpOptions = true,
            description = "Write transactions (SPEC 2.3) to the transactions topic: ten fixed users, the one whose id "
                    + "starts with digit d always pays 10·d (0 pays 100), half of them Paid; naive timestamps in "
                    + "input.timestamp-zone.")
    static final class Payments extends GeneratorCommand {
        @Override
        Pipeline pipeline() {
            return Pipelines.require("payments");
        }

        @Override
        EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options) {
            return new PaymentEventGenerator(options, ((PaymentsConfig) config).timestampZone());
        }
    }

    /** {@code gen stocks}. */
    @Command(name = "stocks", mixinStandardHelpOptions = true,
            description = "Write stock ticks (SPEC 2.5) to the stocks topic, as the CSV lines of seed 004 "
                    + "(AGL,BUY ,239.77,38,1534848940438,2018-08-21 20:55:40.438) or as JSON.")
    static final class Stocks extends GeneratorCommand {
        @Option(names = "--stocks", defaultValue = "10", description = "distinct stock names (default: ${DEFAULT-VALUE})")
        int stocks;

        @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE})")
        String format;

        @Option(names = "--zone", defaultValue = "Australia/Sydney",
                description = "time zone of the readable time column (default: ${DEFAULT-VALUE})")
        String zone;

        @Override
        Pipeline pipeline() {
            return Pipelines.require("moving-averages");
        }

        @Override
        EventGenerator generator(PipelineConfig config, StreamGeneratorOptions options) {
            if (!format.equals("csv") && !format.equals("json")) {
                throw new UserError("--format takes csv or json, got '" + format + "'");
            }
            return new StockEventGenerator(options, stocks, format.equals("json"), zone);
        }
    }
}
