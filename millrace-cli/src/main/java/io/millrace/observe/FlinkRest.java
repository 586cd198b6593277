package io.millrace.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a running job's metrics and watermarks from the Flink REST API (the numbers the web UI shows). */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** One job as {@code /jobs/overview} lists it. */
    public record JobSummary(String id, String name, String state) {}

    /** One vertex (a chain of operators) of a running job, with its task-level counts summed over subtasks. */
    public record VertexCounts(String id, String name, int parallelism, long recordsIn, long recordsOut) {}

    public String baseUrl() {
        return baseUrl;
    }

    /** GET {@code path} as JSON; throws IOException when Flink is not reachable or answers with an error. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Flink REST " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** Every job the cluster knows; throws IOException when nothing answers at the base URL. */
    public List<JobSummary> jobs() throws IOException, InterruptedException {
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            jobs.add(new JobSummary(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
        }
        return jobs;
    }

    /**
     * Per vertex, the records its first operator read and its last operator emitted (the task's
     * {@code numRecordsIn}/{@code numRecordsOut}), in the job's vertex order; empty if Flink cannot say.
     */
    public List<VertexCounts> vertexCounts(String jobIds) {
        List<VertexCounts> counts = new ArrayList<>();
        for (String jobId : ids(jobIds)) {
            counts.addAll(vertexCountsOf(jobId));
        }
        return counts;
    }

    /**
     * The jobs of a pipeline made of several are written as their ids separated by commas; every method here
     * taking {@code jobIds} accepts that: counts of all, metrics and watermarks from the first job that has the operator.
     */
    public static List<String> ids(String jobIds) {
        return List.of(jobIds.split(","));
    }

    private List<VertexCounts> vertexCountsOf(String jobId) {
        List<VertexCounts> counts = new ArrayList<>();
        try {
            for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
                String id = v.path("id").asText();
                Map<String, Long> sums = new LinkedHashMap<>();
                for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + id
                        + "/subtasks/metrics?get=numRecordsIn,numRecordsOut&agg=sum")) {
                    sums.put(m.path("id").asText(), m.path("sum").asLong());
                }
                counts.add(new VertexCounts(id, v.path("name").asText(), v.path("parallelism").asInt(),
                        sums.getOrDefault("numRecordsIn", -1L), sums.getOrDefault("numRecordsOut", -1L)));
            }
        } catch (IOException e) {
            // Not reachable right now: no counts.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return counts;
    }

    /**
     * The lowest input watermark over the subtasks of the first vertex that holds the operator named
     * {@code operator} (chained operators share a vertex), or Long.MIN_VALUE if unknown.
     */
    public long inputWatermark(String jobIds, String operator) {
        for (String jobId : ids(jobIds)) {
            long watermark = inputWatermarkOf(jobId, operator);
            if (watermark != Long.MIN_VALUE) {
                return watermark;
            }
        }
        return Long.MIN_VALUE;
    }

    private long inputWatermarkOf(String jobId, String operator) {
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
        } catch (IOException e) {
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
    public long operatorMetric(String jobIds, String operatorName, String metric) {
        for (String jobId : ids(jobIds)) {
            long value = operatorMetricOf(jobId, operatorName, metric);
            if (value >= 0) {
                return value;
            }
        }
        return -1;
    }

    private long operatorMetricOf(String jobId, String operatorName, String metric) {
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
        } catch (IOException e) {
            // Not reachable right now.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found ? sum : -1;
    }
}
