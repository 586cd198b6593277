package io.millrace.testing;

import io.millrace.model.MarketInfo;
import io.millrace.model.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;

/** Readable event fixtures: wall-clock times on one fixed day, trades and info versions. */
public final class Fixtures {

    /** 2025-11-24, the day of the seeds' worked examples (UTC). */
    public static final long DAY = Instant.parse("2025-11-24T00:00:00Z").toEpochMilli();

    private Fixtures() {}

    /** {@code at("10:50:05")} or {@code at("10:50:05.250")}: epoch ms on {@link #DAY}. */
    public static long at(String time) {
        return LocalTime.parse(time).atDate(java.time.LocalDate.of(2025, 11, 24)).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Minutes after 10:00 on {@link #DAY}. */
    public static long t(double minutes) {
        return at("10:00:00") + Math.round(minutes * 60_000);
    }

    public static Trade trade(String id, String symbol, String price, long volume, long timestamp) {
        return trade(id, symbol, price, volume, timestamp, 0);
    }

    public static Trade trade(String id, String symbol, String price, long volume, long timestamp, int partition) {
        return new Trade(id, symbol, new BigDecimal(price), volume, timestamp, partition);
    }

    public static MarketInfo info(String symbol, String sector, long marketCap, long timestamp) {
        return new MarketInfo(symbol, symbol + " Inc.", sector, marketCap, timestamp);
    }
}
