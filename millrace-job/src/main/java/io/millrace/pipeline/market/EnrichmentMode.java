package io.millrace.pipeline.market;

/** Which info version a trade is joined with. */
public enum EnrichmentMode {
    /** The version valid at the trade's event time: deterministic on replay. */
    EVENT_TIME,
    /** The newest version known when the trade is processed: lower latency, not deterministic. */
    LATEST
}
