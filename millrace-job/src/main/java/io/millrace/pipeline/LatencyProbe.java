package io.millrace.pipeline;

import io.millrace.gen.GeneratedRecord;
import java.util.Collection;
import java.util.Set;

/**
 * Tells when the result of a generated input record has become visible to a reader of committed data in the
 * pipeline's sink (a committed row, a committed record of a transactional topic): the far end of end-to-end latency.
 * One thread calls it; each pipeline that has one declares it in its definition.
 */
public interface LatencyProbe extends AutoCloseable {

    /**
     * What identifies the result of {@code record} in the sink, or null when the record cannot be followed on its
     * own (malformed, late, duplicate or out-of-order records, reference data).
     */
    Object resultKey(GeneratedRecord record);

    /** Of {@code pending} result keys, those visible now. Called about every 100 ms. */
    Set<Object> visible(Collection<Object> pending) throws Exception;

    /** For reports: what "visible" means here, e.g. "a committed row in enriched_trades". */
    String describe();

    @Override
    void close();
}
