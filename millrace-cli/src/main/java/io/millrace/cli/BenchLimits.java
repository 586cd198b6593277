package io.millrace.cli;

import io.millrace.config.KafkaConnection;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.postgresql.PGConnection;

/**
 * The physical limits a pipeline is compared with on the records of a benchmark: how fast one plain Kafka consumer reads
 * and decodes the input with the pipeline's own decoder (no Flink), and how fast one PostgreSQL connection takes the
 * pipeline's result rows by COPY and a single upsert.
 */
final class BenchLimits {

    /** How many records or rows in how long. */
    record Measured(long count, long nanos) {
        double perSecond() {
            return nanos == 0 ? 0 : count * 1e9 / nanos;
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private BenchLimits() {}

    /**
     * Reads {@code topic} from the beginning to its current end on one thread and decodes every value with the
     * pipeline's decoder (records without a valid event time count too: decoding them is the work).
     */
    static Measured consumeAndDecode(Pipeline p, KafkaConnection kafka, String topic) {
        Map<String, Object> props = kafka.properties(Map.of("max.poll.records", 5000, "fetch.max.bytes", 52_428_800,
                "max.partition.fetch.bytes", 10_485_760, "enable.auto.commit", false));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long target = 0;
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            for (TopicPartition tp : partitions) {
                target += end.get(tp) - begin.get(tp);
            }
            long start = System.nanoTime();
            long read = 0;
            long valid = 0;
            while (read < target) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    read++;
                    if (p.eventTime(r.value()) != Long.MIN_VALUE) {
                        valid++;
                    }
                }
                if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("reading " + topic + " took over 10 minutes");
                }
            }
            long nanos = System.nanoTime() - start;
            if (valid == 0) {
                throw new IllegalStateException("no record of " + topic + " decoded");
            }
            return new Measured(read, nanos);
        }
    }

    /**
     * Copies the rows of {@code table} out, then times one writer putting them into an empty copy of it: COPY into a
     * temporary table and one {@code INSERT ... SELECT ... ON CONFLICT DO UPDATE} on the table's key, committed. Done
     * {@code attempts} times, each into a new empty copy: a ceiling is the best of them, since the database may still
     * be flushing what the pipeline wrote just before.
     */
    static List<Measured> postgresCopyUpsert(SinkSpec.PostgresTable table, int attempts) throws Exception {
        String copy = table.name() + "_ceiling";
        try (Connection db = table.postgres().open(); Statement st = db.createStatement()) {
            List<String> key = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT a.attname, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = "
                    + "a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) FROM pg_attribute a WHERE a.attrelid = '"
                    + table.name() + "'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    if (rs.getBoolean(2)) {
                        key.add(rs.getString(1));
                    }
                }
            }
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            long count = db.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table.name() + " TO STDOUT", rows);
            List<String> updates = new ArrayList<>();
            for (String c : columns) {
                if (!key.contains(c)) {
                    updates.add(c + " = EXCLUDED." + c);
                }
            }
            List<Measured> measured = new ArrayList<>();
            for (int attempt = 0; attempt < attempts; attempt++) {
                st.execute("DROP TABLE IF EXISTS " + copy);
                st.execute("CREATE TABLE " + copy + " (LIKE " + table.name() + " INCLUDING ALL)");
                db.setAutoCommit(false);
                long start = System.nanoTime();
                st.execute("CREATE TEMP TABLE staging (LIKE " + table.name() + ") ON COMMIT DROP");
                db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staging FROM STDIN",
                        new ByteArrayInputStream(rows.toByteArray()));
                st.execute("INSERT INTO " + copy + " SELECT * FROM staging ON CONFLICT (" + String.join(", ", key)
                        + ") DO UPDATE SET " + String.join(", ", updates));
                db.commit();
                measured.add(new Measured(count, System.nanoTime() - start));
                db.setAutoCommit(true);
                st.execute("DROP TABLE " + copy);
            }
            return measured;
        }
    }
}
