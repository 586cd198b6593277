package io.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running job's metrics and watermarks from the Flink REST API (the numbers the web UI shows). */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The lowest input watermark over the subtasks of the first vertex that holds the operator named
     * {@code operator} (chained operators share a vertex), or Long.MIN_VALUE if unknown.
     */
    long inputWatermark(String jobId, String operator) {
        try {
            HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode v : JSON.readTree(job.body()).path("vertices")) {
                String name = v.path("name").asText();
                if (!name.startsWith(operator) && !name.contains(" " + operator)) {
                    continue;
                }
                HttpResponse<String> marks = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId
                        + "/vertices/" + v.path("id").asText() + "/watermarks")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long min = Long.MAX_VALUE;
                boolean any = false;
                for (JsonNode m : JSON.readTree(marks.body())) {
                    if (m.path("id").asText().endsWith("currentInputWatermark")) {
                        min = Math.min(min, m.path("value").asLong());
                        any = true;
                    }
                }
                return any ? min : Long.MIN_VALUE;
            }
        } catch (java.io.IOException e) {
            // Not reachable right now.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Long.MIN_VALUE;
    }

    /**
     * An operator's metric summed over its subtasks, for operators whose name starts with {@code operatorName}
     * (chained operators share a vertex, so vertex-level counts cannot tell them apart); -1 if not found.
     */
    long operatorMetric(String jobId, String operatorName, String metric) {
        // Flink rewrites some characters of operator names in metric ids: compare letters and digits only.
        String prefix = operatorName.replaceAll("[^A-Za-z0-9]", "");
        long sum = 0;
        boolean found = false;
        try {
            HttpResponse<String> job = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode v : JSON.readTree(job.body()).path("vertices")) {
                String base = baseUrl + "/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/subtasks/metrics";
                HttpResponse<String> ids = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode id : JSON.readTree(ids.body())) {
                    String name = id.path("id").asText();
                    int dot = name.lastIndexOf('.');
                    if (dot > 0 && name.substring(dot + 1).equals(metric)
                            && name.substring(0, dot).replaceAll("[^A-Za-z0-9]", "").startsWith(prefix)) {
                        HttpResponse<String> value = http.send(HttpRequest.newBuilder(URI.create(base + "?get=" + name + "&agg=sum"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                        sum += JSON.readTree(value.body()).path(0).path("sum").asLong();
                        found = true;
                    }
                }
            }
        } catch (java.io.IOException e) {
            // Not reachable right now.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found ? sum : -1;
    }
}
