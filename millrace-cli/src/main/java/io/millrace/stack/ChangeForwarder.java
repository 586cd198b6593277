package io.millrace.stack;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's batch handler: writes the batch's table changes to Kafka, flushes, and only then marks the batch
 * processed (so offsets never run ahead of Kafka); then emits the newest heartbeat whose WAL position the stream
 * has reached into every partition of every table topic.
 */
final class ChangeForwarder implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    static final byte[] HEARTBEAT_KEY = "{\"heartbeat\":true}".getBytes(StandardCharsets.UTF_8);

    /** What the forwarder has done, shared with the service across engine restarts. */
    interface Progress {
        /** The LSN below which every transaction has been written to Kafka. */
        long processedLsn();

        void forwarded(long changes, long lastCommitMillis, long processedLsn);

        /** The time of the last heartbeat written, so it never goes backwards. */
        long lastHeartbeatMillis();

        void heartbeatWritten(long tsMillis);
    }

    private final Producer<byte[], byte[]> producer;
    private final Set<String> tableTopics;
    private final HeartbeatTicks ticks;
    private final Progress progress;
    private final JsonConverter keyConverter = new JsonConverter();
    private final JsonConverter valueConverter = new JsonConverter();

    ChangeForwarder(Producer<byte[], byte[]> producer, Set<String> tableTopics, HeartbeatTicks ticks, Progress progress) {
        this.producer = producer;
        this.tableTopics = Set.copyOf(tableTopics);
        this.ticks = ticks;
        this.progress = progress;
        // Plain JSON: the row key and the Debezium envelope, without Connect's schema wrapper.
        keyConverter.configure(Map.of("schemas.enable", "false"), true);
        valueConverter.configure(Map.of("schemas.enable", "false"), false);
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        long changes = 0;
        long lastCommitMillis = -1;
        long lsn = progress.processedLsn();
        for (RecordChangeEvent<SourceRecord> event : events) {
            SourceRecord record = event.record();
            if (tableTopics.contains(record.topic())) {
                byte[] key = keyConverter.fromConnectData(record.topic(), record.keySchema(), record.key());
                byte[] value = valueConverter.fromConnectData(record.topic(), record.valueSchema(), record.value());
                sends.add(producer.send(new ProducerRecord<>(record.topic(), key, value)));
                changes++;
                lastCommitMillis = commitMillis(record).orElse(lastCommitMillis);
            }
            lsn = Math.max(lsn, streamedLsn(record.sourceOffset()));
        }
        producer.flush();
        awaitAll(sends, "change records");
        for (RecordChangeEvent<SourceRecord> event : events) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        progress.forwarded(changes, lastCommitMillis, lsn);
        writeDueHeartbeat(lsn);
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return false;
    }

    /**
     * The WAL position a record proves processed, or -1. Snapshot records prove nothing until the whole snapshot
     * has been handed over, and the first streamed record after it carries a position anyway. A change's own
     * position is conservative: every transaction that committed below it was streamed before it.
     */
    static long streamedLsn(Map<String, ?> offset) {
        if (offset == null) {
            return -1;
        }
        if (offset.get("snapshot") != null && !Boolean.TRUE.equals(offset.get("snapshot_completed"))) {
            return -1;
        }
        return offset.get("lsn") instanceof Number n ? n.longValue() : -1;
    }

    private static Optional<Long> commitMillis(SourceRecord record) {
        if (record.value() instanceof Struct envelope && envelope.schema().field("source") != null) {
            Struct source = envelope.getStruct("source");
            if (source != null && source.schema().field("ts_ms") != null) {
                return Optional.ofNullable(source.getInt64("ts_ms"));
            }
        }
        return Optional.empty();
    }

    private void writeDueHeartbeat(long processedLsn) throws InterruptedException {
        Optional<HeartbeatTicks.Tick> due = ticks.due(processedLsn);
        if (due.isEmpty() || due.get().tsMillis() <= progress.lastHeartbeatMillis()) {
            return;
        }
        HeartbeatTicks.Tick tick = due.get();
        byte[] value = ("{\"heartbeat\":{\"ts_ms\":" + tick.tsMillis() + ",\"lsn\":" + tick.lsn() + "}}")
                .getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (String topic : tableTopics) {
            int partitions = producer.partitionsFor(topic).size();
            for (int partition = 0; partition < partitions; partition++) {
                sends.add(producer.send(new ProducerRecord<>(topic, partition, HEARTBEAT_KEY, value)));
            }
        }
        producer.flush();
        awaitAll(sends, "heartbeats");
        progress.heartbeatWritten(tick.tsMillis());
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends, String what) throws InterruptedException {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                // Failing the batch leaves it unmarked: the engine stops and its restart sends it again.
                throw new ConnectException("cannot write " + what + " to Kafka: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
