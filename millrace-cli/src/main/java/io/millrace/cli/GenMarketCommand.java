package io.millrace.cli;

import io.millrace.config.PipelineConfig;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.MarketEventGenerator;
import io.millrace.gen.MarketGeneratorOptions;
import io.millrace.gen.StreamGeneratorOptions;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code millrace gen market}: trades and symbol info for the market pipeline. */
@Command(name = "market", mixinStandardHelpOptions = true,
        description = "Write stock-info (all symbols first, then periodic updates) and stock-trades. Event time "
                + "advances 1/rate per trade record from --start-time, so a seed and start time give the same records.")
final class GenMarketCommand extends GeneratorCommand {

    @Option(names = "--symbols", defaultValue = "8",
            description = "number of symbols: the 8 of the original, then synthetic ones (default: ${DEFAULT-VALUE})")
    int symbols;

    @Option(names = "--duplicate-fraction", defaultValue = "0", description = "share of re-sent earlier trades")
    double duplicateFraction;

    @Option(names = "--info-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "event time between info updates (one symbol each, round robin; default: ${DEFAULT-VALUE})")
    Duration infoInterval;

    @Override
    Pipeline pipeline() {
        return Pipelines.require("market");
    }

    @Override
    EventGenerator generator(PipelineConfig config, StreamGeneratorOptions o) {
        return new MarketEventGenerator(new MarketGeneratorOptions(o.seed(), symbols, o.rate(), o.startTime(),
                o.outOfOrderFraction(), o.maxDelay(), o.lateFraction(), o.lateBy(), o.badFraction(), duplicateFraction,
                infoInterval));
    }

    @Override
    String details() {
        return ", " + symbols + " symbols";
    }
}
