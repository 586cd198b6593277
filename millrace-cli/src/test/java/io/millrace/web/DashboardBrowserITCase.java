package io.millrace.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.cli.LocalPipelineJob;
import io.millrace.codec.WindowJsonEncoder;
import io.millrace.config.Settings;
import io.millrace.e2e.LocalStackExtension;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratorOptions;
import io.millrace.gen.GeneratorOutput;
import io.millrace.gen.GeneratorRun;
import io.millrace.model.StockAverage;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.LocalFlink;
import io.millrace.stack.Ports;
import io.millrace.stress.LatencyTracker;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless Chromium against a running {@code payments} pipeline fed with generated data
 * (with late and malformed records): the page loads without console errors, its charts get data points that grow, the
 * input counter moves, and a dead letter shows its reason. Screenshots go to {@code target/dashboard-*.png}.
 */
class DashboardBrowserITCase {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @Test
    void pageShowsLiveChartsCountersAndDeadLettersOfARunningPipeline() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run installs it)")
                .exists();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").exists();

        PipelineDefinition<?> definition = Pipelines.require("payments");
        Pipeline pipeline = definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), Map.of(
                "kafka.bootstrap-servers", STACK.kafka(),
                "checkpoint.dir", STACK.checkpoints("payments-dashboard").toUri().toString(),
                "checkpoint.interval", "1s",
                "parallelism", "1")));
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());

        AtomicBoolean stop = new AtomicBoolean();
        try (DashboardServer dashboard = DashboardServer.start(0, "--dashboard-port")) {
            LocalFlink.LocalJob job = LocalPipelineJob.start(pipeline, Ports.findFree(), false,
                    new PrintWriter(System.out, true), dashboard);
            // Event time follows the wall clock, as in the demo: 2 % malformed and 1 % late records.
            EventGenerator generator = pipeline.generator(new GeneratorOptions(5, 300, System.currentTimeMillis(), 0.1,
                    Duration.ofSeconds(2), 0.01, pipeline.lateBy(), 0.02),
                    Settings.defaults(definition.generatorSpec().options().all()));
            // One record in three is followed to its result, for the latency tile and chart.
            LatencyTracker latency = new LatencyTracker(pipeline.latencyProbe().orElseThrow(), 3);
            dashboard.follow(pipeline.name(), latency);
            CompletableFuture<GeneratorRun.Stats> generated = CompletableFuture.supplyAsync(() -> {
                try (GeneratorOutput output = latency.follow(pipeline.generatorOutput())) {
                    return GeneratorRun.run(generator, output, 300, 0, Duration.ofSeconds(90), (n, t) -> { }, stop::get);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            ChromeDriver browser = browser();
            try {
                browser.get(dashboard.url(pipeline.name()));
                JavascriptExecutor js = browser;

                // The results chart (paid income per window) and the rate chart get points.
                await("the results and rate charts get data points", Duration.ofSeconds(60),
                        () -> points(js, "chart-result-0") > 0 && points(js, "chart-rates") > 0);
                long results = points(js, "chart-result-0");
                long rates = points(js, "chart-rates");
                long in = counter(browser, "in");
                await("the charts grow and the input counter moves", Duration.ofSeconds(30),
                        () -> points(js, "chart-result-0") > results && points(js, "chart-rates") > rates
                                && counter(browser, "in") > in);

                // A malformed record shows in the dead-letter table with its reason.
                await("a dead letter shows its reason", Duration.ofSeconds(30),
                        () -> !browser.findElements(By.cssSelector("#dead-letters td.reason")).isEmpty()
                                && !browser.findElements(By.cssSelector("#dead-letters td.reason")).get(0).getText().isBlank());
                String reason = browser.findElements(By.cssSelector("#dead-letters td.reason")).get(0).getText();
                assertThat(reason).as("a decoder's reason").isNotBlank().isNotEqualTo("?");
                assertThat(counter(browser, "dlq")).isPositive();
                // Every chart of the page has points by now: lag, watermark delay, checkpoints and latency too.
                await("every chart has points", Duration.ofSeconds(30), () -> {
                    Map<String, Long> lengths = lengths(js);
                    return lengths.size() >= 9 && lengths.values().stream().allMatch(n -> n > 0);
                });
                assertThat(lengths(js)).containsKey("chart-latency");
                // Results of 3 s windows are visible once the watermark passes a window's end plus the 2 s bound and
                // a checkpoint commits them: no sooner than that, and (at this rate) well within a minute.
                String p99 = browser.findElement(By.id("latency")).getText();
                assertThat(p99).as("the latency tile").matches("[0-9,.]+ m?s");
                long shown = p99.endsWith(" ms") ? counter(browser, "latency") : (long) (Double.parseDouble(
                        p99.replace(" s", "").replace(",", "")) * 1000);
                assertThat(shown).isBetween(500L, 60_000L);
                assertThat(browser.findElement(By.id("latencySub")).getText()).startsWith("p50 ");
                screenshot(browser, "dashboard-payments.png");

                List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(severe).as("console errors").isEmpty();
            } catch (AssertionError | RuntimeException e) {
                screenshot(browser, "dashboard-failure.png");
                throw e;
            } finally {
                browser.quit();
                stop.set(true);
                generated.get(30, TimeUnit.SECONDS);
                latency.close();
                job.client().cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A band chart (moving-averages: per stock the average between min and max) draws from results in its topic; here
     * the results are written directly and no job runs, so every Flink number is unknown and the page must still
     * render without errors.
     */
    @Test
    void bandChartOfMovingAveragesDrawsItsResultsAndUnknownNumbersDoNotBreakThePage() throws Exception {
        PipelineDefinition<?> definition = Pipelines.require("moving-averages");
        Pipeline pipeline = definition.configure(Settings.layered(definition.keys().all(), null, Map.of(), Map.of(
                "kafka.bootstrap-servers", STACK.kafka(),
                "checkpoint.dir", STACK.checkpoints("moving-averages-dashboard").toUri().toString())));
        TopicAdmin.ensure(pipeline.config().kafka(), pipeline.topics());
        long start = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", STACK.kafka()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 20; i++) {
                for (String stock : List.of("AAPL", "AMC", "TSLA")) {
                    BigDecimal price = BigDecimal.valueOf(100 + i + stock.length());
                    producer.send(new ProducerRecord<>(pipeline.resultsSink().name(), stock.getBytes(StandardCharsets.UTF_8),
                            WindowJsonEncoder.stockAverage(new StockAverage(start + i * 1000L, start + i * 1000L + 3000,
                                    stock, price, price.subtract(BigDecimal.ONE), price.add(BigDecimal.ONE), 10))));
                }
            }
        }
        // No Flink answers here: the observer reads nothing from it.
        String nowhere = "http://127.0.0.1:" + Ports.findFree();
        try (DashboardServer dashboard = DashboardServer.start(0, "--dashboard-port")) {
            dashboard.watch(new DashboardServer.Target(pipeline, nowhere, "0000"));
            ChromeDriver browser = browser();
            try {
                browser.get(dashboard.url(pipeline.name()));
                JavascriptExecutor js = browser;
                // Three stocks of low, average and high: 3 × 3 lines of 20 points each.
                await("the band chart gets every result", Duration.ofSeconds(30),
                        () -> points(js, "chart-result-0") == 3 * 3 * 20);
                screenshot(browser, "dashboard-moving-averages.png");
                assertThat(browser.findElement(By.id("in")).getText()).isEqualTo("–");
                List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
                assertThat(severe).as("console errors").isEmpty();
            } finally {
                browser.quit();
            }
        }
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1440,2700");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> lengths(JavascriptExecutor js) {
        Object value = js.executeScript("return window.millraceDashboard ? window.millraceDashboard.seriesLengths() : {};");
        return (Map<String, Long>) value;
    }

    private static long points(JavascriptExecutor js, String chart) {
        Object n = lengths(js).get(chart);
        return n == null ? 0 : ((Number) n).longValue();
    }

    /** A tile's number as shown, with thousands separators; -1 while it shows none. */
    private static long counter(ChromeDriver browser, String id) {
        WebElement tile = browser.findElement(By.id(id));
        String digits = tile.getText().replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    private static void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(500);
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + target.toAbsolutePath());
    }
}
