package io.millrace.cli;

import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.MillraceHome;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace verify PIPELINE}: sinks against an independent recomputation from the input topics. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Recompute a pipeline's expected results from its input topics, independently of the pipeline, "
                + "and compare them with its sinks. Pass the settings the pipeline ran with (e.g. --distinct, --mode). "
                + "Exit code 0: no differences; 1: differences; 2: the pipeline has not processed all input yet.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--wait", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long to wait for the pipeline to catch up with its input first (default: ${DEFAULT-VALUE})")
    Duration wait;

    @Mixin
    PipelineFlags pipelineFlags;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        Pipeline p = PipelineSettings.configure(pipeline, MillraceHome.resolve(), config, connection,
                pipelineFlags.asSettings(Pipelines.require(pipeline)), true);
        return p.verify(wait, spec.commandLine().getOut()).exitCode();
    }
}
