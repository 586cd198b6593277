package io.millrace.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipelines the CLI can run, generate for and verify. */
final class Pipelines {

    private static final Map<String, Pipeline> ALL = new LinkedHashMap<>();

    static {
        for (Pipeline p : List.of(new MarketPipelineDefinition(), new StreamPipelineDefinitions.Orders(),
                new StreamPipelineDefinitions.Payments(), new StreamPipelineDefinitions.MovingAverages())) {
            ALL.put(p.name(), p);
        }
    }

    static final List<String> NAMES = List.copyOf(ALL.keySet());

    private Pipelines() {}

    static Pipeline require(String name) {
        Pipeline p = ALL.get(name);
        if (p == null) {
            throw new UserError("unknown pipeline '" + name + "' (available: " + String.join(", ", NAMES) + ")");
        }
        return p;
    }

    /** Completion candidates for picocli. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
