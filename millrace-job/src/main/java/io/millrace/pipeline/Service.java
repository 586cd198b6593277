package io.millrace.pipeline;

/** An external service a pipeline needs to run; the local stack starts each one, or settings point at one. */
public enum Service {
    KAFKA,
    POSTGRES,
    REDIS,
    /** An OpenSearch node the pipeline writes a search index into (see {@link PipelineDefinition#searchIndex}). */
    SEARCH,
    /** Change data capture of a pipeline's source tables into Kafka (see {@link CaptureSpec}). */
    CAPTURE
}
