package io.millrace.sink;

import io.millrace.config.WarehouseConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Reads one warehouse table as of its current snapshot with Iceberg's Java API: every row, the row count and
 * the snapshot, and the data files it consists of. Opened per check; {@link #refresh()} sees later commits.
 */
public final class WarehouseReader implements AutoCloseable {

    private final Catalog catalog;
    private final Table table;

    private WarehouseReader(Catalog catalog, Table table) {
        this.catalog = catalog;
        this.table = table;
    }

    /** The table {@code name} of the warehouse's namespace; a {@link NoSuchTableException} when it is not there. */
    public static WarehouseReader open(WarehouseConnection warehouse, String name) {
        Catalog catalog = warehouse.openCatalog();
        try {
            return new WarehouseReader(catalog, catalog.loadTable(warehouse.identifier(name)));
        } catch (RuntimeException e) {
            close(catalog);
            throw e;
        }
    }

    public Table table() {
        return table;
    }

    /** Sees the snapshots committed since this reader was opened (or last refreshed). */
    public WarehouseReader refresh() {
        table.refresh();
        return this;
    }

    /** The current snapshot; empty before the first commit. */
    public Optional<Snapshot> snapshot() {
        return Optional.ofNullable(table.currentSnapshot());
    }

    /** The current snapshot's id, or -1 before the first commit. */
    public long snapshotId() {
        return snapshot().map(Snapshot::snapshotId).orElse(-1L);
    }

    /** When the current snapshot was committed; empty before the first commit. */
    public Optional<Instant> snapshotTime() {
        return snapshot().map(s -> Instant.ofEpochMilli(s.timestampMillis()));
    }

    /** Rows in the current snapshot, from its summary ({@code total-records}): no file is read. */
    public long count() {
        return snapshot().map(s -> Long.parseLong(s.summary().getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "0")))
                .orElse(0L);
    }

    /**
     * Every row of the current snapshot by column name, in file order (no order to rely on). Values as Iceberg's
     * generic reader gives them (Long, Integer, String, BigDecimal, LocalDate, ...), except timestamps with a
     * zone, which are {@link Instant}s.
     */
    public List<Map<String, Object>> rows() {
        List<Types.NestedField> columns = table.schema().columns();
        return rows(record -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Object value = record.get(i);
                row.put(columns.get(i).name(), value instanceof OffsetDateTime t ? t.toInstant() : value);
            }
            return row;
        });
    }

    /** Every row of the current snapshot through {@code mapper}. */
    public <R> List<R> rows(Function<Record, R> mapper) {
        List<R> out = new ArrayList<>();
        if (table.currentSnapshot() == null) {
            return out;
        }
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                out.add(mapper.apply(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading warehouse table " + table.name() + " failed", e);
        }
        return out;
    }

    /**
     * The locations of the current snapshot's data files: all of the table's rows when, as for our append-only
     * sinks, it has no delete files; an {@link IllegalStateException} when it has some (rows would be missed or
     * counted twice by a reader that only reads data files).
     */
    public List<String> dataFiles() {
        List<String> files = new ArrayList<>();
        if (table.currentSnapshot() == null) {
            return files;
        }
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    throw new IllegalStateException("warehouse table " + table.name() + " has delete files in snapshot "
                            + table.currentSnapshot().snapshotId() + " (row-level updates or deletes): reading only its "
                            + "data files would be wrong");
                }
                files.add(task.file().location());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing the files of warehouse table " + table.name() + " failed", e);
        }
        return files;
    }

    /** The partitions that hold data in the current snapshot, as paths ({@code event_ts_day=2025-01-01}), sorted. */
    public List<String> partitions() {
        TreeSet<String> partitions = new TreeSet<>();
        if (table.currentSnapshot() == null) {
            return List.of();
        }
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                partitions.add(table.specs().get(task.file().specId()).partitionToPath(task.file().partition()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing the files of warehouse table " + table.name() + " failed", e);
        }
        return List.copyOf(partitions);
    }

    @Override
    public void close() {
        close(catalog);
    }

    private static void close(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the warehouse catalog failed", e);
            }
        }
    }
}
