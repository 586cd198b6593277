package io.millrace.sink;

import java.io.Serializable;
import java.util.List;

/**
 * Turns one element into the Redis writes that record it, in order. Writes to one slot must all come from one
 * sink subtask (key the stream by what decides the Redis key), or their order across subtasks is undefined.
 */
@FunctionalInterface
public interface RedisMapper<T> extends Serializable {

    List<RedisWrite> writes(T element);
}
