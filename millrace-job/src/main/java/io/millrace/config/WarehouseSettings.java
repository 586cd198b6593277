package io.millrace.config;

/** Where a pipeline's Iceberg warehouse is: the keys every pipeline that writes one declares, and the connection. */
public final class WarehouseSettings {

    public static final ConfigKey<WarehouseCatalog> CATALOG = ConfigKey.choice("warehouse.catalog", WarehouseCatalog.HADOOP,
            "Iceberg catalog: hadoop (metadata files under warehouse.path) or rest (a REST catalog at warehouse.uri)");
    public static final ConfigKey<String> PATH = ConfigKey.string("warehouse.path", "",
            "warehouse location URI (e.g. file:///data/warehouse, hdfs://nn/warehouse); empty: the CLI uses "
                    + "$MILLRACE_HOME/warehouse");
    public static final ConfigKey<String> URI = ConfigKey.string("warehouse.uri", "",
            "REST catalog URI (e.g. http://127.0.0.1:8181), used when warehouse.catalog=rest");
    public static final ConfigKey<String> NAMESPACE = ConfigKey.string("warehouse.namespace", "millrace",
            "Iceberg namespace that holds the pipeline's tables");

    private WarehouseSettings() {}

    public static void declare(ConfigKeys set) {
        set.add(CATALOG);
        set.add(PATH);
        set.add(URI);
        set.add(NAMESPACE);
    }

    /** The warehouse the settings name; a ConfigException naming the key when they do not describe a usable one. */
    public static WarehouseConnection connection(Settings s) {
        return new WarehouseConnection(s.get(CATALOG), s.get(PATH), s.get(URI), s.get(NAMESPACE));
    }
}
