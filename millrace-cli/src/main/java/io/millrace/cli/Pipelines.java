package io.millrace.cli;

import java.util.Iterator;
import java.util.List;

/** The pipelines the CLI can run, generate for and verify. */
final class Pipelines {

    static final List<String> NAMES = List.of("market");

    private Pipelines() {}

    static void require(String name) {
        if (!NAMES.contains(name)) {
            throw new UserError("unknown pipeline '" + name + "' (available: " + String.join(", ", NAMES) + ")");
        }
    }

    /** Completion candidates for picocli. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }
}
