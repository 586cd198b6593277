package io.millrace.model;

/**
 * An event that came after the allowed lateness of its window(s), as published to a pipeline's late topic:
 * the event itself (JSON), where it came from, and the partition watermark it met.
 */
public record LateEvent(String pipeline, String id, int partition, long eventTime, long watermark, String reason,
        String event) {}
