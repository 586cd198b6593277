package io.millrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.orders.OrdersConfig;
import io.millrace.pipeline.payments.PaymentsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layered settings (defaults, file, environment, flags), error messages, secrets and per-copy ids. */
class SettingsTest {

    @Test
    void layersDefaultsBaseFileEnvironmentAndFlagsInThatOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("market.properties");
        Files.writeString(file, "window.size = 5min\nenrichment.max-wait = 10s\nsink.postgres.batch-size = 100\n");

        Settings s = Settings.layered(MarketConfig.keys().all(), Map.of("kafka.bootstrap-servers", "stack:1", "window.size", "2min"),
                "stack", file,
                Map.of("MILLRACE_ENRICHMENT_MAX_WAIT", "20s", "MILLRACE_SINK_POSTGRES_BATCH_SIZE", "200"),
                Map.of("sink.postgres.batch-size", "300"));
        MarketConfig config = MarketConfig.from(s);

        assertThat(config.kafka().bootstrapServers()).isEqualTo("stack:1");
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.postgres().sink().batchSize()).isEqualTo(300);
        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.origin(MarketConfig.MAX_WAIT)).isEqualTo("environment variable MILLRACE_ENRICHMENT_MAX_WAIT");
    }

    @Test
    void anUnknownKeyIsAnErrorWithASuggestion() {
        assertThatThrownBy(() -> MarketConfig.with(Map.of("window.allowed-latenes", "1min")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown config key 'window.allowed-latenes' (from command line); did you mean 'window.allowed-lateness'?");
    }

    @Test
    void aMalformedValueNamesKeySourceAndExpectation() {
        assertThatThrownBy(() -> MarketConfig.with(Map.of("enrichment.max-wait", "soon")))
                .hasMessage("config key 'enrichment.max-wait' (from command line): cannot use 'soon': "
                        + "expected a duration such as 500ms, 5s, 2min, 1h");
        assertThatThrownBy(() -> MarketConfig.with(Map.of("enrichment.mode", "fastest")))
                .hasMessageContaining("expected one of event-time|latest");
        assertThatThrownBy(() -> MarketConfig.with(Map.of("window.size", "7min")))
                .hasMessageContaining("must divide a day evenly");
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        MarketConfig config = MarketConfig.from(Settings.layered(MarketConfig.keys().all(), null,
                Map.of("MILLRACE_POSTGRES_PASSWORD", "s3cret"), Map.of()));

        assertThat(config.toString()).doesNotContain("s3cret").contains("password=****");
        assertThat(config.postgres().connection().password()).isEqualTo("s3cret");
    }

    @Test
    void transactionalIdPrefixesKeepTheirFormerValuesByDefaultAndCanBeSetPerCopy() {
        // The defaults are the ids earlier versions used, so an upgraded job still aborts its own open transactions.
        assertThat(MarketConfig.defaults().common().transactionalIdPrefix()).isEqualTo("millrace-market");
        assertThat(PaymentsConfig.from(Settings.defaults(PaymentsConfig.keys().all())).common().transactionalIdPrefix())
                .isEqualTo("millrace-payments");
        assertThat(OrdersConfig.from(Settings.layered(OrdersConfig.keys().all(), null, Map.of(),
                Map.of("sink.transactional-id-prefix", "staging-orders"))).common().transactionalIdPrefix())
                .isEqualTo("staging-orders");
    }
}
