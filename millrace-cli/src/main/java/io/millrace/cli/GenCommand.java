package io.millrace.cli;

import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code millrace gen}: generators of pipeline input, one subcommand per registered pipeline. */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Generate input data for a pipeline (deterministic for a given --seed).")
final class GenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Adds each registered pipeline's generator as a subcommand of {@code gen}. */
    static void install(CommandLine gen) {
        for (PipelineDefinition<?> pipeline : Pipelines.all()) {
            gen.addSubcommand(pipeline.generatorSpec().name(), GeneratorCommand.of(pipeline),
                    pipeline.generatorSpec().aliases().toArray(String[]::new));
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
