package io.millrace.cli;

import io.millrace.monitor.MonitorScreen;
import io.millrace.monitor.MonitorView;
import io.millrace.observe.FlinkRest;
import io.millrace.observe.Observation;
import io.millrace.observe.PipelineObserver;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.MillraceHome;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code millrace monitor [PIPELINE]}: the running pipelines on a full-screen terminal monitor, read through
 * {@link PipelineObserver} every second; one line per reading when stdout is not a terminal.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Watch running pipelines in the terminal, redrawn every second: input rate, rows/s and totals "
                + "per sink, lag, watermark delay, last checkpoint, dead letters and late records with the last errors, "
                + "the latest results. q or Ctrl-C quits. Prints one line per second when stdout is not a terminal.")
final class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PIPELINE",
            description = "the pipeline to watch (default: every pipeline running there): ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--flink-url", defaultValue = "http://127.0.0.1:8081",
            description = "the web UI of the Flink running the pipelines (default: ${DEFAULT-VALUE}, as ./millrace run)")
    String flinkUrl;

    @Option(names = "--plain", description = "one line per reading instead of the full screen (implied when stdout is "
            + "not a terminal)")
    boolean plain;

    @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "time between readings (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--count", description = "with line output: stop after this many readings")
    int count;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<PipelineObserver> observers = observers();
        try {
            if (plain || System.console() == null) {
                lines(observers, out);
            } else {
                screen(observers);
            }
        } finally {
            observers.forEach(PipelineObserver::close);
        }
        return 0;
    }

    /** An observer per pipeline whose job runs at {@link #flinkUrl} (only {@link #pipeline}'s, if given). */
    private List<PipelineObserver> observers() throws InterruptedException {
        if (pipeline != null) {
            Pipelines.require(pipeline);
        }
        FlinkRest rest = new FlinkRest(flinkUrl);
        List<FlinkRest.JobSummary> jobs;
        try {
            jobs = rest.jobs();
        } catch (IOException e) {
            throw new UserError("no Flink answers at " + flinkUrl + ": start a pipeline with './millrace run "
                    + (pipeline == null ? "PIPELINE" : pipeline) + "' (its web UI is there), or pass --flink-url");
        }
        List<PipelineObserver> observers = new ArrayList<>();
        for (PipelineDefinition<?> definition : Pipelines.all()) {
            if (pipeline != null && !definition.name().equals(pipeline)) {
                continue;
            }
            Pipeline p;
            try {
                p = PipelineSettings.configure(definition.name(), MillraceHome.resolve(), config, connection, Map.of(),
                        false);
            } catch (RuntimeException e) {
                if (pipeline != null) {
                    throw e;
                }
                continue;
            }
            String ids = PipelineObserver.runningJobIds(p, jobs);
            if (ids != null) {
                observers.add(new PipelineObserver(p, flinkUrl, ids));
            }
        }
        if (observers.isEmpty()) {
            throw new UserError((pipeline == null ? "no pipeline is" : "pipeline " + pipeline + " is not") + " running at "
                    + flinkUrl + ": start it with './millrace run " + (pipeline == null ? "PIPELINE" : pipeline)
                    + "' in another terminal, or pass --flink-url");
        }
        return observers;
    }

    private void lines(List<PipelineObserver> observers, PrintWriter out) throws InterruptedException {
        for (int n = 1; count <= 0 || n <= count; n++) {
            long next = System.nanoTime() + interval.toNanos();
            for (PipelineObserver observer : observers) {
                out.println(MonitorView.line(observer.observe()));
            }
            out.flush();
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
    }

    /** The full screen; readings are taken on their own thread, so keys are answered at once. */
    private void screen(List<PipelineObserver> observers) throws Exception {
        AtomicReference<List<String>> content = new AtomicReference<>(List.of("reading the pipeline" + (observers.size() > 1
                ? "s" : "") + "..."));
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (running.get()) {
                long next = System.nanoTime() + interval.toNanos();
                List<String> lines = new ArrayList<>();
                lines.add("as of " + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")));
                for (PipelineObserver observer : observers) {
                    Observation o = observer.observe();
                    lines.add("");
                    lines.addAll(MonitorView.block(o, observer.pipeline().resultCharts(), 200));
                }
                content.set(List.copyOf(lines));
                try {
                    Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "millrace-monitor-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            MonitorScreen.run("millrace monitor  " + flinkUrl, content::get);
        } finally {
            running.set(false);
            reader.interrupt();
        }
    }
}
