package io.millrace.sink;

import java.io.Serializable;
import java.util.Map;

/**
 * Where a Redis sink records its progress: in the hash {@code key}, field {@code <name>:<subtask>} holds the
 * watermark up to which that writer's results are written (in the same flush as the results before it) and
 * {@code <name>:parallelism} how many writers there are. A reader knows the sink's results are complete up
 * to the lowest of them. {@code <name>:written-at} holds when a writer last wrote results.
 */
public record RedisProgress(String key, String name) implements Serializable {

    String field(int subtask) {
        return name + ":" + subtask;
    }

    String parallelismField() {
        return name + ":parallelism";
    }

    String writtenAtField() {
        return name + ":written-at";
    }

    /** Epoch ms of the sink's last flush with results, or -1. */
    public long lastWrite(Map<String, String> fields) {
        String value = fields.get(writtenAtField());
        return value == null ? -1 : Long.parseLong(value);
    }

    /** The sink's watermark from the hash's fields, or Long.MIN_VALUE while a writer has not reported. */
    public long watermark(Map<String, String> fields) {
        String parallelism = fields.get(parallelismField());
        if (parallelism == null) {
            return Long.MIN_VALUE;
        }
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < Integer.parseInt(parallelism); i++) {
            String value = fields.get(field(i));
            if (value == null) {
                return Long.MIN_VALUE;
            }
            lowest = Math.min(lowest, Long.parseLong(value));
        }
        return lowest;
    }
}
