package io.millrace.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.millrace.observe.Observation;
import io.millrace.observe.PipelineObserver;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.ResultChart;
import io.millrace.stack.PortInUseException;
import io.millrace.stress.LatencyTracker;
import io.millrace.stress.StageResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web dashboard on 127.0.0.1: one page per running pipeline ({@code /pipelines/<name>}), fed by a JSON
 * endpoint per pipeline ({@code /api/pipelines}, {@code /api/pipelines/<name>}) that the page polls every second. A
 * background thread per pipeline takes one {@link Observation} a second and keeps the last five minutes of them, so
 * any number of open pages cost the pipeline's sinks nothing more. Charts are drawn by uPlot, served from its webjar.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final String STATIC = "io/millrace/web/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    /** Readings kept per pipeline: five minutes at one a second. */
    private static final int HISTORY = 300;
    /** The span over which the charts' rates are measured. */
    private static final long RATE_WINDOW_MS = 3000;
    /** The span of results over which end-to-end latency percentiles are taken. */
    private static final long LATENCY_WINDOW_MS = 30_000;

    /** A running job of a configured pipeline, and where its Flink REST API answers. */
    public record Target(Pipeline pipeline, String flinkUrl, String jobId) {}

    /**
     * One pipeline's samplers, their latest readings and the recent history. The counts are read every second; the
     * dead letters and results (which read topics or tables) by a second observer every two seconds, so that a slow
     * sink never delays the counts.
     */
    private static final class Watched {
        final Target target;
        final PipelineObserver observer;
        final PipelineObserver tails;
        final Deque<Map<String, Object>> history = new ArrayDeque<>();
        volatile Observation latest;
        volatile Observation latestTails;
        volatile String error;
        volatile LatencyTracker latency;

        Watched(Target target) {
            this.target = target;
            this.observer = new PipelineObserver(target.pipeline(), target.flinkUrl(), target.jobId());
            this.tails = new PipelineObserver(target.pipeline(), target.flinkUrl(), target.jobId());
        }

        void close() {
            observer.close();
            tails.close();
        }

        /** The latest counts with the latest dead letters and results. */
        Observation merged() {
            Observation o = latest;
            Observation t = latestTails;
            if (o == null || t == null) {
                return o;
            }
            return new Observation(o.pipeline(), o.jobId(), o.timeMillis(), o.nanos(), o.recordsIn(), o.inPerSecond(),
                    o.operators(), o.sinks(), o.lag(), o.watermark(), o.resultsWatermark(), o.checkpoint(),
                    t.latestDeadLetters(), t.latestResults());
        }
    }

    private static final Set<Observation.Part> COUNTS = EnumSet.complementOf(
            EnumSet.of(Observation.Part.DEAD_LETTERS, Observation.Part.RESULTS));
    private static final Set<Observation.Part> TAILS = EnumSet.of(Observation.Part.DEAD_LETTERS,
            Observation.Part.RESULTS);

    private final HttpServer http;
    private final ExecutorService handlers;
    private final ScheduledExecutorService samplers;
    private final Map<String, Watched> pipelines = new ConcurrentHashMap<>();

    private DashboardServer(HttpServer http) {
        this.http = http;
        this.handlers = Executors.newFixedThreadPool(4, daemon("millrace-dashboard-http"));
        this.samplers = Executors.newScheduledThreadPool(3, daemon("millrace-dashboard-sampler"));
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0: any free port); throws {@link PortInUseException} naming {@code portOption}
     * when the port is taken.
     */
    public static DashboardServer start(int port, String portOption) throws IOException {
        try {
            return new DashboardServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
        } catch (BindException e) {
            throw new PortInUseException("The dashboard", port, portOption);
        }
    }

    /** The dashboard's address, e.g. {@code http://127.0.0.1:8090/}. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
    }

    /** The page of one pipeline. */
    public String url(String pipeline) {
        return url() + "pipelines/" + pipeline;
    }

    /** Starts watching a running job; its page is live from now on. */
    public void watch(Target target) {
        Watched watched = new Watched(target);
        Watched before = pipelines.put(target.pipeline().name(), watched);
        if (before != null) {
            before.close();
        }
        samplers.scheduleWithFixedDelay(() -> sample(watched), 0, 1, TimeUnit.SECONDS);
        samplers.scheduleWithFixedDelay(() -> sampleTails(watched), 0, 2, TimeUnit.SECONDS);
    }

    /**
     * Shows the end-to-end latency {@code tracker} measures on {@code pipeline}'s page: only a process that generates
     * the input (the demo) can follow records from their append to their result.
     */
    public void follow(String pipeline, LatencyTracker tracker) {
        Watched w = pipelines.get(pipeline);
        if (w == null) {
            throw new IllegalStateException(pipeline + " is not watched here");
        }
        w.latency = tracker;
    }

    private void sampleTails(Watched w) {
        if (pipelines.get(w.target.pipeline().name()) != w) {
            throw new IllegalStateException("stop sampling");
        }
        try {
            w.latestTails = w.tails.observe(TAILS);
        } catch (RuntimeException e) {
            LOG.warn("Dashboard reading of {}'s dead letters and results failed", w.target.pipeline().name(), e);
        }
    }

    private void sample(Watched w) {
        if (pipelines.get(w.target.pipeline().name()) != w) {
            // Replaced by a newer job of the same pipeline.
            throw new IllegalStateException("stop sampling");
        }
        try {
            Observation o = w.observer.observe(COUNTS);
            synchronized (w.history) {
                Map<String, Object> point = point(o, w.history);
                LatencyTracker tracker = w.latency;
                StageResult.Latency l = tracker == null ? null : tracker.recent(LATENCY_WINDOW_MS);
                point.put("latency", l == null || l.samples() == 0 ? null
                        : Map.of("p50", l.p50(), "p95", l.p95(), "p99", l.p99()));
                w.history.addLast(point);
                while (w.history.size() > HISTORY) {
                    w.history.removeFirst();
                }
            }
            w.latest = o;
            w.error = null;
        } catch (RuntimeException e) {
            // Keep sampling: a service may come back; the page shows the error meanwhile.
            w.error = e.toString();
            LOG.warn("Dashboard reading of {} failed", w.target.pipeline().name(), e);
        }
    }

    /**
     * The numbers of one reading that the page charts over time. Rates are taken over the last {@link #RATE_WINDOW_MS}
     * rather than since the previous reading: Flink refreshes the metrics the REST API serves about once a second
     * (every 10 s by default on a cluster), so a one-second difference alternates between nothing and twice the rate.
     */
    private static Map<String, Object> point(Observation o, Deque<Map<String, Object>> history) {
        Map<String, Object> before = null;
        for (Map<String, Object> p : history) {
            if ((long) p.get("t") <= o.timeMillis() - RATE_WINDOW_MS || before == null) {
                before = p;
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("t", o.timeMillis());
        p.put("in", o.recordsIn());
        Map<String, Long> sinkCounts = new LinkedHashMap<>();
        o.sinks().forEach(s -> sinkCounts.put(s.name(), s.count()));
        p.put("sinkCounts", sinkCounts);
        Map<String, Long> operatorCounts = new LinkedHashMap<>();
        o.operators().forEach(op -> operatorCounts.put(op.name(), op.recordsOut()));
        p.put("operatorCounts", operatorCounts);

        p.put("inRate", before == null ? null : rate(o.recordsIn(), (long) before.get("in"), o.timeMillis(), before));
        Map<String, Object> sinks = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sinkCounts.entrySet()) {
            sinks.put(e.getKey(), before == null ? null
                    : rate(e.getValue(), count(before, "sinkCounts", e.getKey()), o.timeMillis(), before));
        }
        p.put("sinkRates", sinks);
        Map<String, Object> operators = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : operatorCounts.entrySet()) {
            operators.put(e.getKey(), before == null ? null
                    : rate(e.getValue(), count(before, "operatorCounts", e.getKey()), o.timeMillis(), before));
        }
        p.put("operatorRates", operators);
        Map<String, Object> lag = new LinkedHashMap<>();
        o.lag().forEach(l -> lag.put(l.topic() + "/" + l.partition(), l.lag()));
        p.put("lag", lag);
        p.put("watermarkDelay", o.watermarkDelayMillis() < 0 ? null : o.watermarkDelayMillis());
        p.put("checkpointId", o.checkpoint() == null ? null : o.checkpoint().id());
        p.put("checkpointDuration", o.checkpoint() == null ? null : o.checkpoint().durationMillis());
        p.put("checkpointSize", o.checkpoint() == null ? null : o.checkpoint().sizeBytes());
        p.put("deadLetters", o.deadLetters());
        p.put("late", o.late());
        return p;
    }

    @SuppressWarnings("unchecked")
    private static long count(Map<String, Object> point, String field, String name) {
        Long n = ((Map<String, Long>) point.get(field)).get(name);
        return n == null ? -1 : n;
    }

    /** Per second between two counts, or null if either is unknown or no time passed. */
    private static Double rate(long now, long then, long nowMillis, Map<String, Object> before) {
        long millis = nowMillis - (long) before.get("t");
        return now < 0 || then < 0 || millis <= 0 ? null : Math.max(0, now - then) * 1000.0 / millis;
    }

    /** NaN (unknown) as JSON null. */
    private static Object number(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.startsWith("/pipelines/")) {
                resource(exchange, STATIC + "index.html", "text/html; charset=utf-8");
            } else if (path.equals("/dashboard.js")) {
                resource(exchange, STATIC + "dashboard.js", "text/javascript; charset=utf-8");
            } else if (path.equals("/dashboard.css")) {
                resource(exchange, STATIC + "dashboard.css", "text/css; charset=utf-8");
            } else if (path.equals("/uplot/uPlot.iife.min.js")) {
                resource(exchange, UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8");
            } else if (path.equals("/uplot/uPlot.min.css")) {
                resource(exchange, UPLOT + "uPlot.min.css", "text/css; charset=utf-8");
            } else if (path.equals("/favicon.ico")) {
                send(exchange, 204, "image/x-icon", new byte[0]);
            } else if (path.equals("/api/pipelines")) {
                json(exchange, 200, list());
            } else if (path.startsWith("/api/pipelines/")) {
                Watched w = pipelines.get(path.substring("/api/pipelines/".length()));
                if (w == null) {
                    json(exchange, 404, Map.of("error", "no such pipeline is watched here", "pipelines", list()));
                } else {
                    json(exchange, 200, details(w));
                }
            } else {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            // The browser went away mid-answer.
            LOG.debug("Dashboard request failed", e);
        }
    }

    private List<Map<String, Object>> list() {
        List<Map<String, Object>> list = new ArrayList<>();
        pipelines.values().stream().sorted((a, b) -> a.target.pipeline().name().compareTo(b.target.pipeline().name()))
                .forEach(w -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("name", w.target.pipeline().name());
                    p.put("description", w.target.pipeline().definition().description());
                    p.put("jobId", w.target.jobId());
                    p.put("flinkUi", w.target.flinkUrl());
                    list.add(p);
                });
        return list;
    }

    private Map<String, Object> details(Watched w) {
        Map<String, Object> d = new LinkedHashMap<>();
        Pipeline p = w.target.pipeline();
        d.put("name", p.name());
        d.put("description", p.definition().description());
        d.put("jobId", w.target.jobId());
        d.put("flinkUi", w.target.flinkUrl());
        List<ResultChart> charts = p.resultCharts();
        d.put("charts", charts);
        d.put("observation", w.merged());
        d.put("error", w.error);
        d.put("latency", latency(w.latency));
        synchronized (w.history) {
            d.put("history", new ArrayList<>(w.history));
        }
        return d;
    }

    /** The latest percentiles and what they measure, or null when no records are followed here. */
    private static Map<String, Object> latency(LatencyTracker tracker) {
        if (tracker == null) {
            return null;
        }
        StageResult.Latency l = tracker.recent(LATENCY_WINDOW_MS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("visibleWhen", tracker.describe());
        m.put("sampleEvery", tracker.sampleEvery());
        m.put("windowSeconds", LATENCY_WINDOW_MS / 1000);
        m.put("samples", l.samples());
        m.put("pending", l.unresolved());
        m.put("p50", l.samples() == 0 ? null : l.p50());
        m.put("p95", l.samples() == 0 ? null : l.p95());
        m.put("p99", l.samples() == 0 ? null : l.p99());
        m.put("max", l.samples() == 0 ? null : l.max());
        return m;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        // NaN rates (unknown) would not be valid JSON numbers: Jackson quotes them, and the page reads them as unknown.
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, "text/plain", ("missing " + name).getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        http.stop(0);
        samplers.shutdownNow();
        handlers.shutdownNow();
        pipelines.values().forEach(Watched::close);
        pipelines.clear();
    }
}
