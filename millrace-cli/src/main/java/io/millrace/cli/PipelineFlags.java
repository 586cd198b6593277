package io.millrace.cli;

import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.PipelineFlag;
import io.millrace.pipeline.Pipelines;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The pipelines' own command-line flags ({@code --distinct}, {@code --kafka-output}, ...), as each pipeline
 * declares them: {@link #install} adds them to a command; a flag given for a pipeline that does not declare
 * it is rejected.
 */
@Command
final class PipelineFlags {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Adds every registered pipeline's flags to {@code command} (once per flag name). */
    static void install(CommandSpec command) {
        Map<String, StringBuilder> descriptions = new LinkedHashMap<>();
        Map<String, PipelineFlag> first = new LinkedHashMap<>();
        for (PipelineDefinition<?> p : Pipelines.all()) {
            for (PipelineFlag flag : p.flags()) {
                first.putIfAbsent(flag.name(), flag);
                StringBuilder description = descriptions.computeIfAbsent(flag.name(), n -> new StringBuilder());
                if (description.length() > 0) {
                    description.append("; ");
                }
                description.append(p.name()).append(": ").append(flag.description())
                        .append(" (setting '").append(flag.key().name()).append("')");
            }
        }
        first.forEach((name, flag) -> {
            OptionSpec.Builder option = OptionSpec.builder(name).description(descriptions.get(name).toString());
            if (flag.isSwitch()) {
                option.arity("0").type(boolean.class);
            } else {
                option.arity("1").type(String.class)
                        .paramLabel(flag.key().typeName().equals("string") ? "VALUE" : flag.key().typeName());
            }
            command.addOption(option.build());
        });
    }

    /** The settings the given flags make for {@code pipeline}. */
    Map<String, String> asSettings(PipelineDefinition<?> pipeline) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : given()) {
            PipelineFlag flag = pipeline.flags().stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow(() -> new UserError(name + " applies to the " + String.join(", ", declaring(name))
                            + " pipeline, not " + pipeline.name()));
            settings.put(flag.key().name(), flag.isSwitch() ? flag.switchValue() : command.findOption(name).getValue());
        }
        return settings;
    }

    /** The same choices as command-line arguments, for the hints printed after a run. */
    List<String> asArguments() {
        return given().stream().flatMap(name -> {
            OptionSpec option = command.findOption(name);
            return option.arity().max() == 0 ? Stream.of(name) : Stream.of(name, String.valueOf(option.<Object>getValue()));
        }).toList();
    }

    private Set<String> given() {
        Set<String> names = new TreeSet<>();
        for (PipelineDefinition<?> p : Pipelines.all()) {
            for (PipelineFlag flag : p.flags()) {
                OptionSpec option = command.findOption(flag.name());
                Object value = option == null ? null : option.getValue();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    names.add(flag.name());
                }
            }
        }
        return names;
    }

    private static List<String> declaring(String flag) {
        return Pipelines.all().stream().filter(p -> p.flags().stream().anyMatch(f -> f.name().equals(flag)))
                .map(PipelineDefinition::name).toList();
    }
}
