package io.millrace.pipeline.market;

/** How the {@code market} pipeline is cut into Flink jobs; every choice writes the same results. */
public enum MarketArchitecture {
    /** One job: one enrichment, fanned out to every sink. */
    UNIFIED,
    /** Job A enriches into the transactional topic {@code enriched-trades}; job B reads it and writes the tables. */
    STAGED,
    /** Two independent jobs on the raw topics, each enriching for itself: one writes trades, one the metrics. */
    DUAL
}
