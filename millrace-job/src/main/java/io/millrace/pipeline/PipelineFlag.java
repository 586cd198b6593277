package io.millrace.pipeline;

import io.millrace.config.ConfigKey;

/**
 * A command-line shortcut for one of a pipeline's settings: {@code --distinct approx} sets
 * {@code aggregate.distinct}; a switch such as {@code --kafka-output} sets its key to {@code switchValue}.
 *
 * @param switchValue the value a switch sets, or null if the flag takes one
 */
public record PipelineFlag(String name, ConfigKey<?> key, String switchValue, String description) {

    public static PipelineFlag of(String name, ConfigKey<?> key, String description) {
        return new PipelineFlag(name, key, null, description);
    }

    public static PipelineFlag enabling(String name, ConfigKey<Boolean> key, String description) {
        return new PipelineFlag(name, key, "true", description);
    }

    public boolean isSwitch() {
        return switchValue != null;
    }
}
