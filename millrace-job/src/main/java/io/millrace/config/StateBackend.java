package io.millrace.config;

/** Where operator state lives. */
public enum StateBackend {
    /** On the heap, with full checkpoints: fastest for small state. */
    HASHMAP,
    /** On local disk, with incremental checkpoints: for large state. */
    ROCKSDB
}
