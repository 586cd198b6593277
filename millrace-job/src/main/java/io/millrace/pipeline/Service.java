package io.millrace.pipeline;

/** An external service a pipeline needs to run; the local stack starts each one, or settings point at one. */
public enum Service {
    KAFKA,
    POSTGRES
}
