package io.millrace.job;

import io.millrace.config.ConfigException;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineJob;
import io.millrace.pipeline.Pipelines;
import io.millrace.source.TopicAdmin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job jar's entry point on a Flink cluster, for every pipeline:
 * {@code flink run -c io.millrace.job.PipelineRunner millrace-job-*-flink-job.jar PIPELINE [--job NAME]
 * [--config FILE] [--set key=value]...}. It creates the pipeline's topics if they are missing, then submits
 * its jobs (only the one named by {@code --job}, if given).
 */
public final class PipelineRunner {

    private PipelineRunner() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new ConfigException("the first argument names the pipeline: one of " + String.join(", ", Pipelines.names()));
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        String only = null;
        int job = rest.indexOf("--job");
        if (job >= 0) {
            if (job + 1 == rest.size()) {
                throw new ConfigException("--job needs a value");
            }
            only = rest.get(job + 1);
            rest.subList(job, job + 2).clear();
        }
        var definition = Pipelines.require(args[0]);
        Pipeline pipeline = definition.configure(JobArguments.settings(rest.toArray(String[]::new), definition.keys().all()));
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());
        List<PipelineJob> jobs = new ArrayList<>();
        for (PipelineJob j : pipeline.jobs()) {
            if (only == null || j.name().equals(only)) {
                jobs.add(j);
            }
        }
        if (jobs.isEmpty()) {
            throw new ConfigException("pipeline " + pipeline.name() + " has no job '" + only + "' (its jobs: "
                    + String.join(", ", pipeline.jobs().stream().map(PipelineJob::name).toList()) + ")");
        }
        if (jobs.size() == 1) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            jobs.get(0).attach(env);
            env.execute(jobs.get(0).name());
            return;
        }
        // Several jobs: submit each, then wait for all (a session cluster runs them side by side).
        List<JobClient> clients = new ArrayList<>();
        for (PipelineJob j : jobs) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            j.attach(env);
            clients.add(env.executeAsync(j.name()));
        }
        for (JobClient client : clients) {
            client.getJobExecutionResult().get();
        }
    }
}
