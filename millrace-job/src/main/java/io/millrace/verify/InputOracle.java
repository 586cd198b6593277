package io.millrace.verify;

import java.util.Set;

/**
 * A pipeline's expectation recomputed from its input by the documented rules, independently of the
 * pipeline's code: it takes the main input records one at a time, in partition and offset order.
 */
public interface InputOracle {

    void accept(InputRecord record);

    /** {@code topic-partition-offset} of every record the pipeline must dead-letter. */
    Set<String> deadLetterOrigins();
}
