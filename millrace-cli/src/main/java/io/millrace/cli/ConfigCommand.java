package io.millrace.cli;

import io.millrace.config.ConfigKey;
import io.millrace.config.Settings;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace config PIPELINE}: every setting with its effective value and where that value comes from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "List a pipeline's settings: key, effective value, its source, environment variable, meaning.")
final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        PipelineDefinition<?> p = Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = PipelineSettings.resolve(p, MillraceHome.resolve(), config, connection, Map.of());
        for (ConfigKey<?> key : p.keys().all()) {
            String shown = key.display(settings.get(key));
            out.printf("%-32s %-28s %s%n", key.name(), shown, "(" + settings.origin(key) + ")");
            out.printf("%-32s %s; env %s%n", "", key.description(), key.envName());
        }
        return 0;
    }
}
