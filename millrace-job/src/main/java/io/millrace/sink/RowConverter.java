package io.millrace.sink;

import java.io.Serializable;
import java.math.BigDecimal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Turns one element into a row of a warehouse table, its fields in the table schema's column order and in
 * Flink's internal representation; the static helpers convert the usual Java values (null stays null).
 */
@FunctionalInterface
public interface RowConverter<T> extends Serializable {

    RowData toRow(T element);

    static StringData text(String value) {
        return value == null ? null : StringData.fromString(value);
    }

    /** A {@code timestamptz} (or {@code timestamp}) column from epoch milliseconds. */
    static TimestampData timestamp(long epochMillis) {
        return TimestampData.fromEpochMillis(epochMillis);
    }

    /**
     * A {@code decimal(precision, scale)} column; the value is rescaled exactly (an inexact one is a programming
     * error) and must fit the precision.
     */
    static DecimalData decimal(BigDecimal value, int precision, int scale) {
        if (value == null) {
            return null;
        }
        DecimalData d = DecimalData.fromBigDecimal(value.setScale(scale), precision, scale);
        if (d == null) {
            throw new IllegalArgumentException(value + " does not fit decimal(" + precision + ", " + scale + ")");
        }
        return d;
    }
}
