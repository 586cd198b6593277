package io.millrace.cli;

import io.millrace.config.CommonSettings;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.MillraceHome;
import io.millrace.web.DashboardServer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace run PIPELINE}: the pipeline on an in-process Flink cluster with its web UI. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pipeline on a local Flink cluster (web UI on 127.0.0.1) against the local stack or the "
                + "given endpoints. Resumes from the latest retained checkpoint unless --fresh.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--fresh", description = "ignore retained checkpoints (and delete them): start without state "
            + "from the beginning of the input topics; results are written again")
    boolean fresh;

    @Option(names = {"-p", "--parallelism"}, description = "operator parallelism (setting 'parallelism')")
    Integer parallelism;

    @Option(names = "--web-port", defaultValue = "8081", description = "Flink web UI port (default: ${DEFAULT-VALUE})")
    int webPort;

    @Option(names = "--dashboard-port", defaultValue = "8090",
            description = "port of the live dashboard on 127.0.0.1; 0 for any free port, -1 for none (default: ${DEFAULT-VALUE})")
    int dashboardPort;

    @Mixin
    PipelineFlags pipelineFlags;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Bound before anything starts, so a taken port fails at once with the option that changes it.
        DashboardServer dashboard = dashboardPort < 0 ? null : DashboardServer.start(dashboardPort, "--dashboard-port");
        try {
            return run(out, dashboard);
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
        }
    }

    private Integer run(PrintWriter out, DashboardServer dashboard) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>(pipelineFlags.asSettings(Pipelines.require(pipeline)));
        if (parallelism != null) {
            flags.put(CommonSettings.PARALLELISM.name(), parallelism.toString());
        }
        if (fresh) {
            flags.putIfAbsent(CommonSettings.STARTING_OFFSETS.name(), "earliest");
        }
        Pipeline p = PipelineSettings.configure(pipeline, MillraceHome.resolve(), config, connection, flags, true);
        LocalFlink.LocalJob job = LocalPipelineJob.start(p, webPort, fresh, out, dashboard);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            if (job.firstEnded().isDone() && job.clients().size() == 1) {
                return;
            }
            out.println();
            out.println("Stopping (checkpoints are kept: ./millrace run " + pipeline + " resumes from the latest)...");
            out.flush();
            try {
                job.cancel().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // The JVM is going down anyway; the retained checkpoints are what matters.
            }
        }, "millrace-run-shutdown"));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        boolean interactive = Terminal.interactive();
        try (JobMonitor monitor = new JobMonitor(p, job.webUrl(), job.jobIds())) {
            var result = job.firstEnded();
            for (long tick = 0; ; tick++) {
                // A bounded input (files) ends the job, and the local cluster shuts down with it.
                if (result.isDone()) {
                    out.println();
                    try {
                        result.get();
                    } catch (Exception e) {
                        out.println("The job failed: " + rootCause(e));
                        // The pipeline's other jobs cannot go on without it.
                        job.cancel().get(20, TimeUnit.SECONDS);
                        return 1;
                    }
                    job.cancel().get(20, TimeUnit.SECONDS);
                    out.println("The job finished: all input processed, results written.");
                    return 0;
                }
                if (job.anyEnded()) {
                    // The result says how; the local cluster may be shutting down after it.
                    Thread.sleep(200);
                    continue;
                }
                monitor.show(out, monitor.poll(), interactive, tick, 10);
                Thread.sleep(1000);
                if (stopping.get()) {
                    return 0;
                }
            }
        }
    }

    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
