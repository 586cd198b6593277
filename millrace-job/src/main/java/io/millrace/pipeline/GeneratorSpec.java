package io.millrace.pipeline;

import io.millrace.config.ConfigKeys;
import java.util.List;
import java.util.Map;

/**
 * A pipeline's generator as {@code gen} presents it: its command name (the pipeline's) and aliases, what it
 * writes, its own options beyond the shared ones, and the option values that runs with faults (demo, chaos)
 * add to the shared fault fractions.
 */
public record GeneratorSpec(String name, List<String> aliases, String description, ConfigKeys options,
        Map<String, String> faultOptions) {}
