package io.millrace.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.KafkaConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compares a dead-letter topic with the input records an oracle found invalid (each exactly once, nothing
 * else), and says why records were dead-lettered: the share of the input, the most common reasons, and every
 * record the documented rules accept that was dead-lettered all the same.
 */
public final class DeadLetterCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quoted values and numbers in a reason: what differs between records with the same problem. */
    private static final Pattern VALUES = Pattern.compile("\"[^\"]*\"|-?\\b\\d[\\d.]*\\b");
    private static final int EXAMPLES = 5;

    /**
     * The check, dead letters by reason (values elided, most common first), and the dead letters of records
     * the documented rules accept, with examples ({@code origin: reason}).
     */
    public record Report(TableCheck check, Map<String, Long> reasons, long accepted, List<String> acceptedExamples) {

        /** Prints the share of dead letters, the top reasons and any record dead-lettered although valid. */
        public void print(PrintWriter out, long inputRecords) {
            long letters = check.actualCount();
            out.printf("dead letters: %,d of %,d input records (%s)%s%n", letters, inputRecords,
                    share(letters, inputRecords), letters == 0 ? "" : "; top reasons:");
            reasons.entrySet().stream().limit(5).forEach(e -> out.printf("  %,9d  %s%n", e.getValue(), e.getKey()));
            if (accepted > 0) {
                out.printf("DEAD-LETTERED ALTHOUGH VALID: %,d records that the documented rules accept went to %s, e.g.%n",
                        accepted, check.name());
                acceptedExamples.forEach(x -> out.println("  " + x));
            }
        }

        /** A one-line reason to fail, or null. */
        public String failure() {
            return accepted == 0 ? null : String.format("%,d records that the documented input rules accept were "
                    + "dead-lettered (%s): the pipeline rejects valid input", accepted, check.name());
        }
    }

    private DeadLetterCheck() {}

    /** @param expectedOrigins {@code topic-partition-offset} of every record that must be dead-lettered */
    public static Report check(KafkaConnection kafka, String topic, Set<String> expectedOrigins) {
        TableCheck check = new TableCheck(topic);
        Set<String> seen = new HashSet<>();
        Map<String, Long> reasons = new LinkedHashMap<>();
        List<String> acceptedExamples = new ArrayList<>();
        long[] accepted = {0};
        long records = TopicReader.forEach(kafka, topic, letter -> {
            String origin;
            String error;
            try {
                JsonNode n = JSON.readTree(letter.value());
                origin = n.path("source_topic").asText() + "-" + n.path("partition").asInt() + "-" + n.path("offset").asLong();
                error = n.path("error").asText("(no reason given)");
            } catch (IOException e) {
                check.wrong("unreadable dead letter at " + letter.origin());
                return;
            }
            reasons.merge(VALUES.matcher(error).replaceAll("…"), 1L, Long::sum);
            if (!seen.add(origin)) {
                check.duplicated("dead letter for " + origin);
            } else if (!expectedOrigins.contains(origin)) {
                check.extra("dead letter for " + origin + " (a valid record): " + error);
                accepted[0]++;
                if (acceptedExamples.size() < EXAMPLES) {
                    acceptedExamples.add(origin + ": " + error);
                }
            }
        });
        check.expected(expectedOrigins.size());
        check.actual(records);
        for (String origin : expectedOrigins) {
            if (!seen.contains(origin)) {
                check.missing("dead letter for " + origin);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Report(check, sorted, accepted[0], acceptedExamples);
    }

    static String share(long part, long whole) {
        if (whole == 0) {
            return "none read";
        }
        double percent = 100.0 * part / whole;
        return percent >= 1 || percent == 0 ? String.format("%.0f %%", percent) : String.format("%.2f %%", percent);
    }
}
