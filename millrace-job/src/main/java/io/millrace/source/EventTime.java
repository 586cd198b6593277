package io.millrace.source;

import java.io.Serializable;

/** Reads an event's event time (epoch ms) from its payload. */
@FunctionalInterface
public interface EventTime<T> extends Serializable {

    long of(T event);
}
