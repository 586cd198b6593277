package io.millrace.config;

/** Which kind of Iceberg catalog keeps the warehouse's table metadata. */
public enum WarehouseCatalog {
    /** Metadata files beside the data under {@code warehouse.path}: nothing to run, one writer per table. */
    HADOOP,
    /** An Iceberg REST catalog service at {@code warehouse.uri}. */
    REST
}
