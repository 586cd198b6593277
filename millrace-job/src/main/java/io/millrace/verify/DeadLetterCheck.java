package io.millrace.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.config.KafkaConnection;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/** Compares a dead-letter topic with the input records an oracle found invalid: each exactly once, nothing else. */
public final class DeadLetterCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterCheck() {}

    /** @param expectedOrigins {@code topic-partition-offset} of every record that must be dead-lettered */
    public static TableCheck check(KafkaConnection kafka, String topic, Set<String> expectedOrigins) {
        TableCheck check = new TableCheck(topic);
        Set<String> seen = new HashSet<>();
        long records = TopicReader.forEach(kafka, topic, letter -> {
            String origin;
            try {
                JsonNode n = JSON.readTree(letter.value());
                origin = n.path("source_topic").asText() + "-" + n.path("partition").asInt() + "-" + n.path("offset").asLong();
            } catch (IOException e) {
                check.wrong("unreadable dead letter at " + letter.origin());
                return;
            }
            if (!seen.add(origin)) {
                check.duplicated("dead letter for " + origin);
            } else if (!expectedOrigins.contains(origin)) {
                check.extra("dead letter for " + origin + " (a valid record)");
            }
        });
        check.expected(expectedOrigins.size());
        check.actual(records);
        for (String origin : expectedOrigins) {
            if (!seen.contains(origin)) {
                check.missing("dead letter for " + origin);
            }
        }
        return check;
    }
}
