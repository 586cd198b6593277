package io.millrace.cli;

import io.millrace.observe.FlinkRest;
import io.millrace.observe.PipelineObserver;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import io.millrace.web.DashboardServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millrace dashboard}: the live web dashboard for pipeline jobs that already run (started by {@code run} or
 * on a cluster), found by asking Flink's REST API for running jobs and matching their names to the pipelines' jobs.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve the live web dashboard on 127.0.0.1 for the pipeline jobs running on the given Flink "
                + "cluster(s): throughput per operator and sink, consumer lag, watermark delay, checkpoints, dead "
                + "letters and the latest results as charts. Until Ctrl-C.")
final class DashboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PIPELINE",
            description = "only this pipeline: ${COMPLETION-CANDIDATES} (default: every running one)",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--flink", split = ",", defaultValue = "http://127.0.0.1:8081",
            description = "Flink REST/web UI address(es) to look for running jobs (default: ${DEFAULT-VALUE})")
    List<String> flinkUrls;

    @Option(names = "--dashboard-port", defaultValue = "8090",
            description = "port of the dashboard on 127.0.0.1; 0 for any free port (default: ${DEFAULT-VALUE})")
    int dashboardPort;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        List<PipelineDefinition<?>> wanted = pipeline == null ? Pipelines.all() : List.of(Pipelines.require(pipeline));
        String runHint = "./millrace run " + (pipeline == null ? "<pipeline>" : pipeline);

        List<FlinkRest.JobSummary> running = new ArrayList<>();
        List<String> reachable = new ArrayList<>();
        Map<String, String> urlOfJob = new HashMap<>();
        for (String url : flinkUrls) {
            FlinkRest rest = new FlinkRest(url);
            try {
                for (FlinkRest.JobSummary job : rest.jobs()) {
                    if ("RUNNING".equals(job.state())) {
                        running.add(job);
                        urlOfJob.put(job.id(), rest.baseUrl());
                    }
                }
                reachable.add(url);
            } catch (IOException e) {
                // Nothing answers there: said below if nothing answers anywhere.
            }
        }
        if (reachable.isEmpty()) {
            if (StackInfo.read(home.stackFile()).live().isEmpty()) {
                throw new UserError("the local stack is not running and no Flink answers at " + String.join(", ", flinkUrls)
                        + ": start the stack with ./millrace up, then a pipeline with " + runHint);
            }
            throw new UserError("no Flink answers at " + String.join(", ", flinkUrls) + ": start a pipeline with "
                    + runHint + " (or pass --flink with its web UI's address)");
        }

        List<DashboardServer.Target> targets = new ArrayList<>();
        for (PipelineDefinition<?> definition : wanted) {
            Pipeline unchecked = PipelineSettings.configure(definition.name(), home, config, connection, Map.of(), false);
            String ids = PipelineObserver.runningJobIds(unchecked, running);
            if (ids != null) {
                // Configured again, now requiring endpoints: without a stack this names ./millrace up.
                Pipeline p = PipelineSettings.configure(definition.name(), home, config, connection, Map.of(), true);
                targets.add(new DashboardServer.Target(p, urlOfJob.get(FlinkRest.ids(ids).get(0)), ids));
            }
        }
        if (targets.isEmpty()) {
            String others = running.isEmpty() ? "no running jobs"
                    : "running: " + running.stream().map(FlinkRest.JobSummary::name).collect(Collectors.joining(", "));
            throw new UserError("no " + (pipeline == null ? "pipeline" : pipeline) + " job is running at "
                    + String.join(", ", reachable) + " (" + others + "): start one with " + runHint);
        }

        DashboardServer dashboard = DashboardServer.start(dashboardPort, "--dashboard-port");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dashboard.close();
            stopped.countDown();
        }, "millrace-dashboard-shutdown"));
        for (DashboardServer.Target target : targets) {
            dashboard.watch(target);
            out.println(target.pipeline().name() + " (job " + target.jobId() + " at " + target.flinkUrl() + ")");
            out.println("  Dashboard     " + dashboard.url(target.pipeline().name()));
        }
        out.println("Dashboard     " + dashboard.url() + "   (Ctrl-C to stop)");
        out.flush();
        stopped.await();
        return 0;
    }
}
