package io.millrace.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millrace gen}: generators of pipeline input. */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Generate input data into Kafka for a pipeline (deterministic for a given --seed).",
        subcommands = {GenMarketCommand.class, GenStreamCommands.Orders.class, GenStreamCommands.Payments.class,
            GenStreamCommands.Stocks.class})
final class GenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
