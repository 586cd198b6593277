package io.millrace.cli;

import io.millrace.pipeline.Pipelines;
import java.util.Iterator;

/** The registered pipelines' names, as picocli completion candidates. */
final class PipelineNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Pipelines.names().iterator();
    }
}
