package io.millrace.verify;

/** One record read back from a topic, with its coordinates. */
public record InputRecord(String topic, int partition, long offset, byte[] key, byte[] value) {

    public String origin() {
        return topic + "-" + partition + "-" + offset;
    }
}
