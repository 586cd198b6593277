package io.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads per-vertex record counts of a job from the Flink REST API (the same numbers the web UI shows). */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One job vertex: its name (chained operators joined by " -> ") and records in and out. */
    record Vertex(String name, long readRecords, long writeRecords) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    List<Vertex> vertices(String jobId) {
        List<Vertex> vertices = new ArrayList<>();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return vertices;
            }
            for (JsonNode v : JSON.readTree(response.body()).path("vertices")) {
                JsonNode m = v.path("metrics");
                vertices.add(new Vertex(v.path("name").asText(), m.path("read-records").asLong(),
                        m.path("write-records").asLong()));
            }
        } catch (java.io.IOException e) {
            // The UI is not up yet or is shutting down: report nothing this round.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return vertices;
    }
}
