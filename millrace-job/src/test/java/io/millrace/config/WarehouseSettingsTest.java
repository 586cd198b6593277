package io.millrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warehouse keys: defaults, the combinations that cannot work, and what a local run requires. */
class WarehouseSettingsTest {

    private static WarehouseConnection connection(Map<String, String> values) {
        ConfigKeys keys = new ConfigKeys();
        WarehouseSettings.declare(keys);
        return WarehouseSettings.connection(Settings.layered(keys.all(), null, Map.of(), values));
    }

    @Test
    void shouldDefaultToAHadoopCatalogInNamespaceMillrace() {
        WarehouseConnection c = connection(Map.of("warehouse.path", "file:///data/warehouse"));
        assertThat(c.catalog()).isEqualTo(WarehouseCatalog.HADOOP);
        assertThat(c.namespace()).isEqualTo("millrace");
        assertThat(c.identifier("engagement_events").toString()).isEqualTo("millrace.engagement_events");
        assertThat(c.isLocal()).isTrue();
    }

    @Test
    void shouldNameThePathWhenTheHadoopCatalogHasNone() {
        // Settings of a pipeline that is only described need no path; opening the catalog without one fails.
        WarehouseConnection unset = connection(Map.of());
        assertThatThrownBy(unset::catalogLoader).isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.path");
    }

    @Test
    void shouldNameTheUriWhenTheRestCatalogHasNone() {
        assertThatThrownBy(() -> connection(Map.of("warehouse.catalog", "rest"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.uri");
    }

    @Test
    void shouldTakeASchemelessPathAsADirectoryOfThisMachine() {
        assertThat(connection(Map.of("warehouse.path", "/tmp/wh")).path()).isEqualTo("file:///tmp/wh");
    }

    @Test
    void shouldRefuseARemotePathOnALocalRun() {
        WarehouseConnection c = connection(Map.of("warehouse.path", "hdfs://namenode/warehouse"));
        assertThat(c.isLocal()).isFalse();
        assertThatThrownBy(c::requireLocalFiles).isInstanceOf(ConfigException.class)
                .hasMessageContaining("warehouse.path");
    }

    @Test
    void shouldAcceptARestCatalogWithItsUri() {
        WarehouseConnection c = connection(Map.of("warehouse.catalog", "rest", "warehouse.uri", "http://127.0.0.1:8181"));
        assertThat(c.requireLocalFiles().uri()).isEqualTo("http://127.0.0.1:8181");
    }
}
