package io.millrace.sink;

import io.millrace.config.WarehouseConnection;
import io.millrace.pipeline.OperatorNames;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.types.Types;

/**
 * One Iceberg table of the warehouse: its name, schema, partitioning and table properties; {@link #ensure}
 * creates it, {@link #attach} writes a stream into it with Iceberg's Flink sink, committed on checkpoints.
 */
public record WarehouseTable(String name, Schema schema, PartitionSpec spec, Map<String, String> properties)
        implements Serializable {

    /** 128 MB data files: Iceberg's default, and what readers plan splits around. */
    public static final long TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;

    public WarehouseTable {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("table name '" + name + "' is not lower_snake_case");
        }
        properties = Map.copyOf(properties);
    }

    /**
     * A table with the properties every warehouse table has: format version 2, Parquet data files of
     * {@link #TARGET_FILE_SIZE_BYTES}, and no deletes (our sinks only append).
     */
    public static WarehouseTable of(String name, Schema schema, PartitionSpec spec) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(TableProperties.FORMAT_VERSION, "2");
        properties.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
        properties.put(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(TARGET_FILE_SIZE_BYTES));
        return new WarehouseTable(name, schema, spec, properties);
    }

    /** The same table with one more (or a different) table property. */
    public WarehouseTable withProperty(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(key, value);
        return new WarehouseTable(name, schema, spec, copy);
    }

    /** The Flink row type the sink expects: the schema's columns in order. */
    public RowType rowType() {
        return FlinkSchemaUtil.convert(schema);
    }

    /** {@link #ensure(Catalog, Namespace)} in the warehouse's catalog and namespace. */
    public Table ensure(WarehouseConnection warehouse) {
        Catalog catalog = warehouse.openCatalog();
        try {
            return ensure(catalog, warehouse.icebergNamespace());
        } finally {
            closeQuietly(catalog);
        }
    }

    /**
     * Creates the namespace and this table if missing and returns the table; fails with the differences when a
     * table of this name exists with other columns or another partitioning (we never evolve a schema silently).
     */
    public Table ensure(Catalog catalog, Namespace namespace) {
        if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
            try {
                namespaces.createNamespace(namespace);
            } catch (AlreadyExistsException e) {
                // Another writer created it first: the same outcome.
            }
        }
        TableIdentifier id = TableIdentifier.of(namespace, name);
        Table table;
        if (catalog.tableExists(id)) {
            table = catalog.loadTable(id);
        } else {
            try {
                table = catalog.createTable(id, schema, spec, properties);
            } catch (AlreadyExistsException e) {
                table = catalog.loadTable(id);
            }
        }
        List<String> differences = differences(table);
        if (!differences.isEmpty()) {
            throw new IllegalStateException("warehouse table " + id + " exists with another layout than this job "
                    + "writes: " + String.join("; ", differences) + ". Drop or rename it, or write to another "
                    + "warehouse.namespace");
        }
        return table;
    }

    /**
     * Writes {@code stream} into this table with Iceberg's {@link IcebergSink} (on Flink's Sink API): {@code
     * parallelism} writers add Parquet files, an aggregator (parallelism 1) gathers them per checkpoint and the
     * committer commits them as one snapshot when the checkpoint completes (and at the end of a bounded input),
     * so each element is in the table exactly once. Append only: a replay after a failure starts from the last
     * checkpoint, whose files are committed once (the committer skips a checkpoint the table's snapshot summary
     * records as committed), and the files written since are never committed.
     *
     * <p>Operators: {@code <operatorName>: Rows} (the conversion, chained to its input), {@code <operatorName>:
     * Writer} (its records-in count is what was written, see {@link OperatorNames#writer}), {@code Sink pre-commit
     * aggregator: <uidPrefix>} and {@code <operatorName>: Committer}; uids {@code <uidPrefix>-rows} and {@code
     * <uidPrefix>} (Flink derives the writer's and committer's from it).
     *
     * @param distribution how rows reach the writers: {@link DistributionMode#NONE} as they come,
     *     {@link DistributionMode#HASH} by partition (fewer, larger files: each partition has one writer)
     */
    public static <T> DataStreamSink<?> attach(DataStream<T> stream, WarehouseConnection warehouse, WarehouseTable table,
            RowConverter<T> converter, int parallelism, DistributionMode distribution, String uidPrefix,
            String operatorName) {
        // Created here, on the client, so the writers and the committer find it and a mismatch fails before start.
        table.ensure(warehouse);
        DataStream<RowData> rows = stream.map(new RowConversion<>(converter))
                .returns(InternalTypeInfo.of(table.rowType()))
                .name(operatorName + ": Rows")
                .uid(uidPrefix + "-rows");
        // IcebergSink, not the older FlinkSink: FlinkSink passes its write results as a Kryo-serialized type,
        // which our jobs forbid (pipeline.generic-types: false); IcebergSink's have their own serializers.
        return IcebergSink.forRowData(rows)
                .tableLoader(warehouse.tableLoader(table.name()))
                .distributionMode(distribution)
                .writeParallelism(parallelism)
                .upsert(false)
                .overwrite(false)
                .uidSuffix(uidPrefix)
                .append()
                .uid(uidPrefix)
                .name(operatorName);
    }

    private List<String> differences(Table table) {
        List<String> out = new ArrayList<>();
        Map<String, Types.NestedField> existing = new LinkedHashMap<>();
        table.schema().columns().forEach(f -> existing.put(f.name(), f));
        for (Types.NestedField wanted : schema.columns()) {
            Types.NestedField has = existing.remove(wanted.name());
            if (has == null) {
                out.add("column " + wanted.name() + " is missing");
            } else if (!has.type().equals(wanted.type()) || has.isOptional() != wanted.isOptional()) {
                out.add("column " + wanted.name() + " is " + describe(has) + ", not " + describe(wanted));
            }
        }
        existing.keySet().forEach(extra -> out.add("column " + extra + " is not written by this job"));
        List<String> hasSpec = partitioning(table.spec(), table.schema());
        List<String> wantedSpec = partitioning(spec, schema);
        if (!hasSpec.equals(wantedSpec)) {
            out.add("partitioned by " + hasSpec + ", not " + wantedSpec);
        }
        return out;
    }

    private static String describe(Types.NestedField f) {
        return f.type() + (f.isOptional() ? " (optional)" : " (required)");
    }

    private static List<String> partitioning(PartitionSpec spec, Schema schema) {
        List<String> fields = new ArrayList<>();
        for (PartitionField f : spec.fields()) {
            fields.add(f.transform() + "(" + schema.findColumnName(f.sourceId()) + ")");
        }
        return fields;
    }

    private static void closeQuietly(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("closing the warehouse catalog failed", e);
            }
        }
    }

    /** The conversion as a named function (a lambda over a generic converter loses its type to Flink). */
    private static final class RowConversion<T> implements MapFunction<T, RowData> {
        private static final long serialVersionUID = 1L;
        private final RowConverter<T> converter;

        RowConversion(RowConverter<T> converter) {
            this.converter = converter;
        }

        @Override
        public RowData map(T element) {
            return converter.toRow(element);
        }
    }
}
