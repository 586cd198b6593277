package io.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millrace.config.WarehouseConnection;
import io.millrace.sink.WarehouseTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sql --warehouse} without data: an empty table is a view with its columns, a missing one a one-line error. */
class WarehouseQueryTest {

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(3, "pct", Types.DecimalType.of(12, 4)));

    @Test
    void shouldShowAnEmptyTableAsAViewWithItsColumns(@TempDir Path dir) throws Exception {
        WarehouseConnection warehouse = WarehouseConnection.local(dir, "millrace");
        WarehouseTable.of("empty_things", SCHEMA, PartitionSpec.unpartitioned()).ensure(warehouse);
        try (WarehouseQuery query = WarehouseQuery.open(warehouse)) {
            List<String> columns = query.query("SELECT * FROM empty_things", rs -> {
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    names.add(rs.getMetaData().getColumnLabel(i) + " " + rs.getMetaData().getColumnTypeName(i));
                }
                assertThat(rs.next()).isFalse();
                return names;
            });
            assertThat(columns).containsExactly("id BIGINT", "ts TIMESTAMP WITH TIME ZONE", "pct DECIMAL(12,4)");
        }
    }

    @Test
    void shouldSayHowToFillAnEmptyWarehouse(@TempDir Path dir) {
        assertThatThrownBy(() -> WarehouseQuery.open(WarehouseConnection.local(dir, "millrace")))
                .isInstanceOf(UserError.class).hasMessageContaining("no tables")
                .hasMessageContaining("./millrace demo --pipeline engagement");
    }

    @Test
    void shouldNameTheTablesThereAreWhenAQueryNamesAnother(@TempDir Path dir) throws Exception {
        WarehouseConnection warehouse = WarehouseConnection.local(dir, "millrace");
        WarehouseTable.of("empty_things", SCHEMA, PartitionSpec.unpartitioned()).ensure(warehouse);
        try (WarehouseQuery query = WarehouseQuery.open(warehouse)) {
            assertThatThrownBy(() -> query.query("SELECT * FROM engagement_events", rs -> null))
                    .isInstanceOf(UserError.class).hasMessageContaining("empty_things")
                    .hasMessageContaining("./millrace demo --pipeline engagement")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
