package io.millrace.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.KafkaConnection;
import io.millrace.config.WindowAggregationConfig;
import io.millrace.config.WindowAggregationSettings;
import io.millrace.sink.ProgressTable;
import io.millrace.verify.WindowOracle.ExpectedLate;
import io.millrace.verify.WindowOracle.ExpectedResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code verify} for a windowed Kafka-to-Kafka pipeline: recomputes the expected window results, late
 * events and dead letters from the input topic ({@link WindowOracle}) and compares them with the output,
 * late and DLQ topics, read committed. A window is compared once the watermark the input allows has passed
 * its end; its last record is its result. Results are committed with the next checkpoint, so a difference
 * is re-checked for a while before it is reported.
 */
public final class WindowResultsVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome. */
    public record Result(List<TableCheck> checks, DeadLetterCheck.Report deadLetterReport, long lag, WindowOracle oracle)
            implements VerifyResult {

        @Override
        public long inputRecords() {
            return oracle.records();
        }

        /** The checks are the output topic, the late topic, the DLQ. */
        @Override
        public TableCheck results() {
            return checks.get(0);
        }

        @Override
        public TableCheck late() {
            return checks.get(1);
        }
    }

    private WindowResultsVerifier() {}

    public static Result verify(WindowAggregationConfig config, WindowOracle oracle, Duration wait, PrintWriter out)
            throws InterruptedException {
        KafkaConnection kafka = config.kafka();
        WindowAggregationSettings s = config.aggregation();
        List<String> inputTopics = config.inputTopics();
        long deadline = System.nanoTime() + wait.toNanos();
        long lag = ConsumerLag.waitUntilCaughtUp(kafka, config.groupId(), inputTopics, wait, out);
        for (String topic : inputTopics) {
            TopicReader.forEach(kafka, topic, oracle::accept);
        }
        Map<String, ExpectedResult> expected = oracle.results();
        long horizon = oracle.horizon();
        List<TableCheck> checks;
        DeadLetterCheck.Report deadLetters;
        while (true) {
            deadLetters = DeadLetterCheck.check(kafka, config.dlqTopic(), oracle.deadLetterOrigins());
            checks = List.of(checkResults(kafka, s.outputTopic(), oracle, expected, horizon),
                    checkLate(kafka, s.lateTopic(), oracle), deadLetters.check());
            boolean clean = checks.stream().allMatch(c -> c.differences() == 0);
            if (clean || System.nanoTime() > deadline) {
                break;
            }
            // The last results become visible when the checkpoint after them commits its transaction.
            Thread.sleep(2000);
        }
        Result result = new Result(checks, deadLetters, lag, oracle);
        print(out, config, horizon, result);
        return result;
    }

    private static TableCheck checkResults(KafkaConnection kafka, String topic, WindowOracle oracle,
            Map<String, ExpectedResult> expected, long horizon) {
        TableCheck check = new TableCheck(topic);
        Map<String, List<Map<String, String>>> records = new LinkedHashMap<>();
        long[] count = {0};
        TopicReader.forEach(kafka, topic, r -> {
            count[0]++;
            Map.Entry<String, Map<String, String>> parsed = oracle.parseResult(r.value());
            if (parsed == null) {
                check.wrong("unreadable result at " + r.origin());
            } else {
                records.computeIfAbsent(parsed.getKey(), k -> new ArrayList<>()).add(parsed.getValue());
            }
        });
        check.expected(expected.size());
        check.actual(count[0]);
        for (ExpectedResult e : expected.values()) {
            List<Map<String, String>> found = records.get(e.key());
            if (e.windowEnd() - 1 > horizon) {
                check.pending();
            } else if (found == null) {
                check.missing("window " + e.key());
            } else if (!matches(e.fields(), found.get(found.size() - 1), oracle.tolerances())) {
                check.wrong("window " + e.key() + ": expected " + e.fields() + ", found " + found.get(found.size() - 1));
            }
        }
        for (Map.Entry<String, List<Map<String, String>>> e : records.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                check.extra("window " + e.getKey());
            }
            List<Map<String, String>> list = e.getValue();
            for (int i = 1; i < list.size(); i++) {
                // A window is published again only when late events (or a caught-up idle partition) change it.
                if (!oracle.identicalRepeatsAllowed() && list.get(i).equals(list.get(i - 1))) {
                    check.duplicated("window " + e.getKey() + " (record " + (i + 1) + " of " + list.size() + ")");
                }
            }
        }
        return check;
    }

    private static boolean matches(Map<String, String> expected, Map<String, String> actual, Map<String, Double> tolerances) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Double tolerance = tolerances.get(e.getKey());
            String value = actual.get(e.getKey());
            if (tolerance != null && value != null) {
                double want = new BigDecimal(e.getValue()).doubleValue();
                if (Math.abs(new BigDecimal(value).doubleValue() - want) > Math.max(1, want * tolerance)) {
                    return false;
                }
            } else if (!Objects.equals(e.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    /** Late events are decided per input partition, so they are predicted exactly, watermark included. */
    private static TableCheck checkLate(KafkaConnection kafka, String topic, WindowOracle oracle) {
        TableCheck check = new TableCheck(topic);
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Long> watermarks = new HashMap<>();
        long[] records = {0};
        TopicReader.forEach(kafka, topic, r -> {
            records[0]++;
            try {
                JsonNode n = JSON.readTree(r.value());
                String id = n.path("id").asText();
                counts.merge(id, 1, Integer::sum);
                watermarks.put(id, Instant.parse(n.path("watermark").asText()).toEpochMilli());
            } catch (IOException | RuntimeException e) {
                check.wrong("unreadable late event at " + r.origin());
            }
        });
        check.expected(oracle.late().values().stream().mapToLong(ExpectedLate::count).sum());
        check.actual(records[0]);
        for (ExpectedLate e : oracle.late().values()) {
            int found = counts.getOrDefault(e.id(), 0);
            if (found < e.count()) {
                check.missing("late event " + e.id());
            } else if (found > e.count()) {
                check.duplicated("late event " + e.id() + " (" + found + " times)");
            }
            if (found > 0 && watermarks.get(e.id()) != e.watermark()) {
                check.wrong("late event " + e.id() + ": watermark " + Instant.ofEpochMilli(watermarks.get(e.id()))
                        + ", expected " + Instant.ofEpochMilli(e.watermark()));
            }
        }
        for (String id : counts.keySet()) {
            if (!oracle.late().containsKey(id)) {
                check.extra("late event " + id + " (not late by its partition's watermark)");
            }
        }
        return check;
    }

    private static void print(PrintWriter out, WindowAggregationConfig config, long horizon, Result result) {
        WindowOracle o = result.oracle();
        out.printf("verify %s: %,d input records (%s)%n", config.pipeline(), o.records(),
                String.join(", ", config.inputTopics()));
        out.printf("closed up to: %s (the watermark this input lets the pipeline reach)%n", ProgressTable.describe(horizon));
        out.println();
        out.printf("%-24s %12s %12s %9s %9s %9s %9s %9s%n", "sink", "expected", "actual", "missing", "extra", "dup",
                "wrong", "pending");
        for (TableCheck c : result.checks()) {
            out.printf("%-24s %,12d %,12d %,9d %,9d %,9d %,9d %,9d%n", c.name(), c.expectedCount(), c.actualCount(),
                    c.missingCount(), c.extraCount(), c.duplicatedCount(), c.wrongCount(), c.pendingCount());
        }
        out.println();
        TableCheck late = result.check(config.aggregation().lateTopic());
        TableCheck dlq = result.check(config.dlqTopic());
        long accounted = o.countedEvents() + o.ignoredEvents() + late.actualCount() - late.duplicatedCount() + dlq.actualCount()
                - dlq.duplicatedCount();
        out.printf("accounting: %,d input records = %,d counted in windows + %,d ignored (not counted by definition) "
                        + "+ %,d late + %,d dead letters: %s%n", o.records(), o.countedEvents(), o.ignoredEvents(),
                late.actualCount(), dlq.actualCount(),
                accounted == o.records() ? "balanced" : "OFF BY " + (o.records() - accounted));
        result.deadLetterReport().print(out, o.records());
        for (TableCheck c : result.checks()) {
            c.examples().forEach(x -> out.println("  " + c.name() + ": " + x));
        }
        result.printVerdict(out);
        out.flush();
    }
}
