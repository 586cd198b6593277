package io.millrace.stress;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.observe.FlinkRest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What the stress test reads from the Flink REST API besides operator counts: the JVM's load and the checkpoints. */
final class JobGauges {
    private final FlinkRest rest;
    private final String jobId;

    JobGauges(FlinkRest rest, String jobId) {
        this.rest = rest;
        this.jobId = jobId;
    }

    /**
     * CPU time used so far (ns, {@code Status.JVM.CPU.Time}) and used heap in bytes, summed over the TaskManager JVMs;
     * {@code {-1, -1}} if unknown. CPU is taken as time used, not Flink's {@code CPU.Load} gauge: differences of the
     * time over a stage give its average load, where the gauge samples one instant.
     */
    double[] taskManagerLoad() {
        try {
            double cpu = 0;
            double heap = 0;
            for (JsonNode tm : rest.get("/taskmanagers").path("taskmanagers")) {
                for (JsonNode m : rest.get("/taskmanagers/" + tm.path("id").asText()
                        + "/metrics?get=Status.JVM.CPU.Time,Status.JVM.Memory.Heap.Used")) {
                    if (m.path("id").asText().endsWith("CPU.Time")) {
                        cpu += m.path("value").asDouble();
                    } else {
                        heap += m.path("value").asDouble();
                    }
                }
            }
            return new double[] {cpu, heap};
        } catch (IOException e) {
            return new double[] {-1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {-1, -1};
        }
    }

    /** End-to-end durations (ms) of the checkpoints triggered in [from, to) that completed, oldest first. */
    List<Long> checkpoints(long from, long to) {
        List<Long> durations = new ArrayList<>();
        try {
            for (JsonNode c : rest.get("/jobs/" + FlinkRest.ids(jobId).get(0) + "/checkpoints").path("history")) {
                long trigger = c.path("trigger_timestamp").asLong();
                if ("COMPLETED".equals(c.path("status").asText()) && trigger >= from && trigger < to) {
                    durations.add(0, c.path("end_to_end_duration").asLong());
                }
            }
        } catch (IOException e) {
            // Not reachable right now: the stage shows no checkpoints.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return durations;
    }
}
