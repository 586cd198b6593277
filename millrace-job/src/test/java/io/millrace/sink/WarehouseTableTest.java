package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.config.WarehouseConnection;
import java.nio.file.Path;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WarehouseTable#ensure}: creates namespace and table once, and refuses a table of another layout. */
class WarehouseTableTest {

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(3, "name", Types.StringType.get()));
    private static final WarehouseTable TABLE =
            WarehouseTable.of("things", SCHEMA, PartitionSpec.builderFor(SCHEMA).day("ts").build());

    @Test
    void shouldCreateTheTableOnceWithItsProperties(@TempDir Path dir) {
        WarehouseConnection warehouse = WarehouseConnection.local(dir, "test");
        Table created = TABLE.ensure(warehouse);
        Table again = TABLE.ensure(warehouse);
        assertThat(again.uuid()).isEqualTo(created.uuid());
        // format-version is a reserved property: the metadata records it, not the property map.
        assertThat(((HasTableOperations) again).operations().current().formatVersion()).isEqualTo(2);
        assertThat(again.properties()).containsEntry("write.format.default", "parquet");
        assertThat(again.spec().fields()).hasSize(1);
        try (WarehouseReader reader = WarehouseReader.open(warehouse, "things")) {
            assertThat(reader.count()).isZero();
            assertThat(reader.snapshotId()).isEqualTo(-1);
            assertThat(reader.rows()).isEmpty();
            assertThat(reader.dataFiles()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAnExistingTableWithOtherColumns(@TempDir Path dir) {
        WarehouseConnection warehouse = WarehouseConnection.local(dir, "test");
        TABLE.ensure(warehouse);
        Schema other = new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.required(2, "ts", Types.TimestampType.withZone()),
                Types.NestedField.optional(3, "name", Types.IntegerType.get()));
        WarehouseTable changed = WarehouseTable.of("things", other, PartitionSpec.builderFor(other).day("ts").build());
        assertThatThrownBy(() -> changed.ensure(warehouse)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("column name is string (optional), not int (optional)");
    }
}
