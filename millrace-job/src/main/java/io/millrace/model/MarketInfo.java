package io.millrace.model;

/** One version of a symbol's reference data from the compacted {@code stock-info} topic. */
public record MarketInfo(String symbol, String company, String sector, long marketCap, long timestamp) {}
