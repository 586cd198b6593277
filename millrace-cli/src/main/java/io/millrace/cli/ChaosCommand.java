package io.millrace.cli;

import io.millrace.chaos.ChaosRun;
import io.millrace.chaos.ChaosTarget;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.MillraceHome;
import io.millrace.verify.TableCheck;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace chaos market}: crash the pipeline repeatedly under load, restart services, then verify. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the stack, the generator and the pipeline as separate processes; kill the pipeline with "
                + "SIGKILL at random moments (restarting it from its latest checkpoint), optionally stop and restart "
                + "PostgreSQL, Kafka and Redis; then verify every sink. Exit code 0 only with 0 missing, 0 duplicated, 0 wrong. "
                + "Uses its own stack under .millrace/chaos on free ports.")
final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--kills", defaultValue = "5", description = "SIGKILLs of the pipeline (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--duration", defaultValue = "2m", converter = DurationConverter.class,
            description = "how long the generator runs (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--rate", defaultValue = "5000", description = "trade records per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--restart-postgres", description = "stop and restart PostgreSQL once, a third of the way in")
    boolean restartPostgres;

    @Option(names = "--restart-kafka", description = "stop and restart the Kafka broker once, two thirds of the way in")
    boolean restartKafka;

    @Option(names = "--restart-redis", description = "stop and restart Redis once, half way in")
    boolean restartRedis;

    @Option(names = "--restart-search", description = "stop and restart the search node (OpenSearch) once, a sixth of "
            + "the way in")
    boolean restartSearch;

    @Option(names = "--downtime", defaultValue = "10s", converter = DurationConverter.class,
            description = "how long a restarted service stays down (default: ${DEFAULT-VALUE})")
    Duration downtime;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the data and of the kill times (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--bad-fraction", defaultValue = "0.001", description = "malformed records (default: ${DEFAULT-VALUE})")
    double badFraction;

    @Option(names = "--late-fraction", defaultValue = "0.001", description = "trades beyond lateness (default: ${DEFAULT-VALUE})")
    double lateFraction;

    @Option(names = "--out-of-order-fraction", defaultValue = "0.1", description = "delayed trades (default: ${DEFAULT-VALUE})")
    double outOfOrderFraction;

    @Mixin
    PipelineFlags pipelineFlags;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        PipelineDefinition<?> p = Pipelines.require(pipeline);
        Map<String, String> settings = new LinkedHashMap<>(pipelineFlags.asSettings(p));
        settings.putAll(config.set);
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = new MillraceHome(MillraceHome.resolve().root().resolve("chaos"));
        out.printf("chaos %s: %d kills%s%s%s%s over %s at %,.0f records/s (stack under %s)%n", pipeline, kills,
                restartPostgres ? ", a PostgreSQL restart" : "", restartKafka ? ", a Kafka restart" : "",
                restartRedis ? ", a Redis restart" : "", restartSearch ? ", an OpenSearch restart" : "",
                Terminal.duration(duration), rate, home.root());
        out.flush();
        ChaosRun.Report report = new ChaosRun(home, new ChaosTarget(p, settings), new ChaosRun.Options(kills,
                duration, rate, restartPostgres, restartKafka, restartRedis, restartSearch, downtime, seed,
                outOfOrderFraction, lateFraction, badFraction),
                out).run();
        printSummary(out, report);
        return report.passed() ? 0 : 1;
    }

    static void printSummary(PrintWriter out, ChaosRun.Report report) {
        var verify = report.verify();
        TableCheck results = verify.results();
        long missing = verify.checks().stream().mapToLong(TableCheck::missingCount).sum();
        long duplicated = verify.checks().stream().mapToLong(TableCheck::duplicatedCount).sum();
        long wrong = verify.checks().stream().mapToLong(TableCheck::wrongCount).sum()
                + verify.checks().stream().mapToLong(TableCheck::extraCount).sum();
        out.println();
        out.println("chaos summary");
        out.printf("  events in        %,d records%n", verify.inputRecords());
        out.printf("  results expected %,d in %s (%,d pending behind the last watermark)%n", results.expectedCount(),
                results.name(), results.pendingCount());
        out.printf("  missing          %,d%n", missing);
        out.printf("  duplicated       %,d%n", duplicated);
        out.printf("  wrong or extra   %,d%n", wrong);
        out.printf("  dead letters     %,d%n", verify.deadLetters().actualCount());
        out.printf("  late events      %,d%n", verify.late().actualCount());
        double[] times = report.faults().stream().mapToDouble(ChaosRun.Fault::recoverySeconds).filter(d -> !Double.isNaN(d))
                .sorted().toArray();
        if (times.length > 0) {
            out.printf("  recovery         fault -> first new row written (after an outage: once the service is back):%n"
                    + "                   min %.1f s, median %.1f s, max %.1f s%n",
                    times[0], times[times.length / 2], times[times.length - 1]);
        }
        for (ChaosRun.Fault f : report.faults()) {
            out.printf("    %-20s %s%n", f.what(), Double.isNaN(f.recoverySeconds()) ? "NOT RECOVERED"
                    : String.format("%.1f s", f.recoverySeconds()));
        }
        out.printf("  elapsed          %s%n", Terminal.duration(report.elapsed()));
        out.println(report.passed() ? "PASS: nothing lost, duplicated or wrong" : "FAIL");
        out.flush();
    }
}
