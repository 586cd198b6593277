package io.millrace.model;

/**
 * An input record that could not be decoded or failed validation, kept with its raw bytes and origin so
 * it can be inspected and replayed.
 */
public record DeadLetter(
        String pipeline,
        String sourceTopic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        String error,
        long detectedAt) {}
