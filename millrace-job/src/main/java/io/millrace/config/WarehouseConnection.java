package io.millrace.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;

/**
 * An Iceberg warehouse: the catalog kind, the warehouse location (a URI; required by the Hadoop catalog), the
 * REST catalog's URI and the namespace of the pipeline's tables. Serializable, so operators carry it and load
 * the catalog where they run.
 */
public record WarehouseConnection(WarehouseCatalog catalog, String path, String uri, String namespace)
        implements Serializable {

    /** The name Iceberg gives the catalog (it shows in table names: {@code millrace.ns.table}). */
    public static final String CATALOG_NAME = "millrace";

    public WarehouseConnection {
        if (catalog == null) {
            throw new ConfigException("config key '" + WarehouseSettings.CATALOG.name() + "' is not set");
        }
        path = path == null ? "" : path.trim();
        uri = uri == null ? "" : uri.trim();
        if (namespace == null || namespace.isBlank()) {
            throw new ConfigException("config key '" + WarehouseSettings.NAMESPACE.name() + "' is empty");
        }
        if (catalog == WarehouseCatalog.HADOOP) {
            // An empty path is refused when the catalog is opened, not here: the CLI fills it in, and settings
            // for a pipeline that is only described (config, tests of other sinks) need not name one.
            path = path.isEmpty() ? path : locationUri(path);
        } else if (uri.isEmpty()) {
            throw new ConfigException("config key '" + WarehouseSettings.URI.name() + "' is empty: "
                    + WarehouseSettings.CATALOG.name() + "=rest needs the REST catalog's URI (e.g. http://127.0.0.1:8181)");
        } else if (!path.isEmpty()) {
            path = locationUri(path);
        }
    }

    /** A Hadoop catalog in {@code directory} of this machine, namespace {@code namespace}. */
    public static WarehouseConnection local(Path directory, String namespace) {
        return new WarehouseConnection(WarehouseCatalog.HADOOP, directory.toAbsolutePath().toUri().toString(), "",
                namespace);
    }

    /**
     * Fails unless the tables' files are on this machine, as a local run (an in-process Flink, {@code sql
     * --warehouse}) needs: with the Hadoop catalog, {@code warehouse.path} must be a {@code file:} URI.
     */
    public WarehouseConnection requireLocalFiles() {
        if (catalog == WarehouseCatalog.HADOOP && !isLocal()) {
            throw new ConfigException("config key '" + WarehouseSettings.PATH.name() + "': a local run keeps the "
                    + "warehouse on this machine, so it must be a file: URI, got " + path);
        }
        return this;
    }

    /** True when the warehouse location is a directory of this machine. */
    public boolean isLocal() {
        return path.startsWith("file:");
    }

    public Namespace icebergNamespace() {
        return Namespace.of(namespace.split("\\."));
    }

    public TableIdentifier identifier(String table) {
        return TableIdentifier.of(icebergNamespace(), table);
    }

    /** A serializable recipe for the catalog, as Iceberg's Flink sink wants it. */
    public CatalogLoader catalogLoader() {
        if (catalog == WarehouseCatalog.HADOOP && path.isEmpty()) {
            throw new ConfigException("config key '" + WarehouseSettings.PATH.name() + "' is empty: the hadoop "
                    + "catalog keeps its tables under it (e.g. file:///data/warehouse)");
        }
        Map<String, String> properties = new HashMap<>();
        if (!path.isEmpty()) {
            properties.put(CatalogProperties.WAREHOUSE_LOCATION, path);
        }
        // Hadoop's defaults (core-default.xml in hadoop-client-api): the local and HDFS file systems, no site files.
        Configuration hadoop = new Configuration();
        if (catalog == WarehouseCatalog.HADOOP) {
            return CatalogLoader.hadoop(CATALOG_NAME, hadoop, properties);
        }
        properties.put(CatalogProperties.URI, uri);
        return CatalogLoader.rest(CATALOG_NAME, hadoop, properties);
    }

    /** A catalog client; close it if it is {@link AutoCloseable} (the REST one holds an HTTP client). */
    public Catalog openCatalog() {
        return catalogLoader().loadCatalog();
    }

    /** Loads {@code table} of this warehouse's namespace where an operator opens it. */
    public TableLoader tableLoader(String table) {
        return TableLoader.fromCatalog(catalogLoader(), identifier(table));
    }

    /** A schemeless location is a directory of this machine; anything else must parse as a URI. */
    private static String locationUri(String location) {
        try {
            URI parsed = new URI(location);
            if (parsed.getScheme() == null) {
                return Path.of(location).toAbsolutePath().normalize().toUri().toString();
            }
            return location;
        } catch (URISyntaxException e) {
            throw new ConfigException("config key '" + WarehouseSettings.PATH.name() + "': '" + location
                    + "' is not a URI (" + e.getReason() + ")");
        }
    }
}
