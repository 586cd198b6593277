package io.millrace.codec;

/** Where a record was read from; also the idempotency key of records that carry none. */
public record RecordOrigin(String topic, int partition, long offset) {

    /** {@code <topic>-<partition>-<offset>}, unique per record of a topic. */
    public String asKey() {
        return topic + "-" + partition + "-" + offset;
    }
}
