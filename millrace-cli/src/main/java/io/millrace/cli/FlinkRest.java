package io.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running job's metrics and watermarks from the Flink REST API (the numbers the web UI shows). */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * The lowest input watermark over the subtasks of the first vertex that holds the operator named
     * {@code operator} (chained operators share a vertex), or Long.MIN_VALUE if unknown.
     */
    public long inputWatermark(String jobId, String operator) {
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

    /** The JSON at {@code path} (e.g. {@code /jobs/overview}), or null when the REST API does not answer. */
    public JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The id of the running job named {@code name}, or null if none runs (or nothing answers). */
    public String runningJob(String name) {
        JsonNode overview = get("/jobs/overview");
        if (overview != null) {
            for (JsonNode job : overview.path("jobs")) {
                if (name.equals(job.path("name").asText()) && "RUNNING".equals(job.path("state").asText())) {
                    return job.path("jid").asText();
                }
            }
        }
        return null;
    }

    /**
     * Process CPU load (0..1, share of all cores) and used heap in bytes of the TaskManager JVMs, summed over them;
     * {@code {-1, -1}} if unknown.
     */
    public double[] taskManagerLoad() {
        JsonNode managers = get("/taskmanagers");
        if (managers == null) {
            return new double[] {-1, -1};
        }
        double cpu = 0;
        double heap = 0;
        for (JsonNode tm : managers.path("taskmanagers")) {
            JsonNode metrics = get("/taskmanagers/" + tm.path("id").asText()
                    + "/metrics?get=Status.JVM.CPU.Load,Status.JVM.Memory.Heap.Used");
            if (metrics == null) {
                return new double[] {-1, -1};
            }
            for (JsonNode m : metrics) {
                if (m.path("id").asText().endsWith("CPU.Load")) {
                    cpu += m.path("value").asDouble();
                } else {
                    heap += m.path("value").asDouble();
                }
            }
        }
        return new double[] {cpu, heap};
    }

    /**
     * An operator's metric summed over its subtasks, for operators whose name starts with {@code operatorName}
     * (chained operators share a vertex, so vertex-level counts cannot tell them apart); -1 if not found.
     */
    public long operatorMetric(String jobId, String operatorName, String metric) {
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
