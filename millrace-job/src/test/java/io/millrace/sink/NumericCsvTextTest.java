package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** COPY's text of a numeric column: exactly what {@link BigDecimal#toPlainString()} writes, without its String. */
class NumericCsvTextTest {

    private static String written(BigDecimal value) {
        CopyRows csv = new CopyRows();
        csv.ascii('x');
        csv.plainDecimal(value);
        return csv.toString().substring(1);
    }

    @Test
    void handPickedValuesReadAsTheJdkWritesThem() {
        assertThat(written(new BigDecimal("189.10"))).isEqualTo("189.10");
        assertThat(written(new BigDecimal("0.05"))).isEqualTo("0.05");
        assertThat(written(new BigDecimal("-0.05"))).isEqualTo("-0.05");
        assertThat(written(new BigDecimal("0.00"))).isEqualTo("0.00");
        assertThat(written(new BigDecimal("5673"))).isEqualTo("5673");
        assertThat(written(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(written(new BigDecimal("100.000"))).isEqualTo("100.000");
        assertThat(written(new BigDecimal("-2900000000000"))).isEqualTo("-2900000000000");
    }

    @Test
    void everyScaleAndPrecisionAgreesWithToPlainString() {
        Random random = new Random(14);
        List<BigDecimal> values = new ArrayList<>();
        for (int scale = -3; scale <= 20; scale++) {
            for (int digits = 1; digits <= 21; digits++) {
                for (int n = 0; n < 20; n++) {
                    BigInteger unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
                    values.add(new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), scale));
                }
            }
        }
        values.add(new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE), 2));
        values.add(new BigDecimal(BigInteger.valueOf(Long.MIN_VALUE), 2));
        values.add(new BigDecimal(new BigInteger("999999999999999999"), 17));
        values.add(new BigDecimal(new BigInteger("-999999999999999999"), 1));
        for (BigDecimal value : values) {
            assertThat(written(value)).as("%s (unscaled %s, scale %d)", value, value.unscaledValue(), value.scale())
                    .isEqualTo(value.toPlainString());
        }
    }
}
