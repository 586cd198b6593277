package io.millrace.source;

/** A topic a pipeline reads or writes, as it is created when absent. */
public record TopicSpec(String name, int partitions, boolean compacted) {}
