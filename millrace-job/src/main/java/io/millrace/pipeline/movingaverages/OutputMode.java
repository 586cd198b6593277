package io.millrace.pipeline.movingaverages;

/** When a window's result is written. */
public enum OutputMode {
    /** Once, when the window is final. */
    APPEND,
    /** While the window is open (early results), then the final one. */
    UPDATE
}
