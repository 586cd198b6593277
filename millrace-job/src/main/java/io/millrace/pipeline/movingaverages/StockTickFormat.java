package io.millrace.pipeline.movingaverages;

/** How the generator writes a tick. */
public enum StockTickFormat {
    /** The CSV line of the original producer. */
    CSV,
    JSON
}
