package io.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkRole;
import io.millrace.pipeline.SinkSpec;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TopicReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches which share of a pipeline's input went to its dead-letter topic over the last minute, and warns
 * with the most common reason when it passes the pipeline's {@code monitor.dead-letter-warning} share: a
 * stream that is mostly dead-lettered is a misconfiguration (a wrong format or zone), not bad luck.
 */
final class DeadLetterWatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VALUES = Pattern.compile("\"[^\"]*\"|-?\\b\\d[\\d.]*\\b");
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Records read and dead-lettered in some span of time. */
    record Share(long input, long deadLetters) {
        double value() {
            return input == 0 ? 0 : (double) deadLetters / input;
        }
    }

    private final Pipeline pipeline;
    private final Deque<long[]> readings = new ArrayDeque<>();
    private boolean warned;
    private long lastWarning;

    DeadLetterWatch(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Takes a reading of the running totals; returns a warning line at most once a minute, or null. */
    String update(long nanos, long recordsIn, long deadLetters) {
        if (recordsIn < 0 || deadLetters < 0) {
            return null;
        }
        readings.addLast(new long[] {nanos, recordsIn, deadLetters});
        while (readings.size() > 1 && nanos - readings.peekFirst()[0] > MINUTE) {
            readings.removeFirst();
        }
        long[] first = readings.peekFirst();
        Share share = new Share(recordsIn - first[1], deadLetters - first[2]);
        if (share.input() < 20 || !above(share) || (warned && nanos - lastWarning < MINUTE)) {
            return null;
        }
        warned = true;
        lastWarning = nanos;
        return warning(share);
    }

    /** The dead letters of the last minute, from the topics' offsets by time; empty if Kafka cannot say. */
    static Optional<Share> lastMinute(Pipeline pipeline, Admin admin) {
        try {
            long since = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(1);
            return Optional.of(new Share(appendedSince(admin, pipeline.config().inputTopics(), since),
                    appendedSince(admin, List.of(pipeline.config().dlqTopic()), since)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    boolean above(Share share) {
        return share.deadLetters() > 0 && share.value() > pipeline.config().common().deadLetterWarning();
    }

    String warning(Share share) {
        String dlq = pipeline.sinks().stream().filter(s -> s.role() == SinkRole.DEAD_LETTERS).map(SinkSpec::name)
                .findFirst().orElse(pipeline.config().dlqTopic());
        return String.format("warning: %s of the %,d %s records of the last minute went to %s (above "
                        + "monitor.dead-letter-warning = %s); most common reason: %s (see ./millrace tail %s)",
                percent(share.value()), share.input(), pipeline.name(), dlq,
                percent(pipeline.config().common().deadLetterWarning()), topReason(dlq), dlq);
    }

    private String topReason(String dlq) {
        Map<String, Integer> reasons = new HashMap<>();
        for (InputRecord letter : TopicReader.last(pipeline.config().kafka(), dlq, 50)) {
            try {
                JsonNode n = JSON.readTree(letter.value());
                reasons.merge(VALUES.matcher(n.path("error").asText("?")).replaceAll("…"), 1, Integer::sum);
            } catch (IOException e) {
                reasons.merge("(unreadable dead letter)", 1, Integer::sum);
            }
        }
        return reasons.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("unknown");
    }

    private static long appendedSince(Admin admin, List<String> topics, long since) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
        for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
            d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                atTime.put(tp, OffsetSpec.forTimestamp(since));
            });
        }
        ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        var end = admin.listOffsets(latest, committed).all().get();
        var from = admin.listOffsets(atTime, committed).all().get();
        long appended = 0;
        for (var e : end.entrySet()) {
            long start = from.get(e.getKey()).offset();
            // No record at or after the time: nothing was appended since.
            appended += start < 0 ? 0 : Math.max(0, e.getValue().offset() - start);
        }
        return appended;
    }

    static String percent(double share) {
        double p = share * 100;
        return p >= 1 || p == 0 ? String.format("%.0f %%", p) : String.format("%.2f %%", p);
    }
}
