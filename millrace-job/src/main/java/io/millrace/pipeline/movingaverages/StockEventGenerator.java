package io.millrace.pipeline.movingaverages;

import io.millrace.gen.DisorderedEventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code stocks} input as the original moving-averages producer writes them: CSV lines {@code AGL,BUY ,239.77,38,1534848940438,2018-08-21 20:55:40.438}
 * (name, side padded to four, price, quantity, epoch ms, local time), or the same as JSON; prices 0.00 to
 * 1000.00 and quantities 0 to 999, with the edge values 0.00, 1000.00 and 0 more often than chance.
 */
public final class StockEventGenerator extends DisorderedEventGenerator {

    private static final String[] NAMES = {"AGL", "AMC", "ANZ", "BHP", "CBA", "NAB", "WBC", "TLS", "WOW", "CSL", "RIO",
        "QAN", "MQG", "WES", "FMG", "TCL"};
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final String[] names;
    private final boolean json;
    private final DateTimeFormatter local;

    public StockEventGenerator(GeneratorOptions options, int stocks, boolean json, String zone) {
        super(options);
        this.names = new String[stocks];
        for (int i = 0; i < stocks; i++) {
            names[i] = i < NAMES.length ? NAMES[i] : String.format("S%03d", i);
        }
        this.json = json;
        this.local = LOCAL.withZone(ZoneId.of(zone));
    }

    @Override
    protected GeneratedRecord event(Kind kind, long ts, long sequence, Integer partition) {
        String name = names[random.nextInt(names.length)];
        boolean buy = random.nextBoolean();
        // The original's ranges, edges included: price "%.2f" of 0 to 1000 (0.00 valid), quantity 0 to 999.
        long cents = random.nextInt(50) == 0 ? (random.nextBoolean() ? 0 : 100_000) : random.nextInt(100_001);
        String price = cents / 100 + "." + String.format("%02d", cents % 100);
        int quantity = random.nextInt(50) == 0 ? 0 : random.nextInt(1000);
        String value = json
                ? "{\"name\":\"" + name + "\",\"side\":\"" + (buy ? "BUY" : "SELL") + "\",\"price\":" + price
                        + ",\"quantity\":" + quantity + ",\"timestamp\":" + ts + "}"
                : name + "," + (buy ? "BUY " : "SELL") + "," + price + "," + quantity + "," + ts + ","
                        + local.format(Instant.ofEpochMilli(ts));
        return record(kind, name.getBytes(StandardCharsets.UTF_8), value, ts, partition);
    }

    @Override
    protected GeneratedRecord malformed(long clock, long sequence) {
        String name = names[random.nextInt(names.length)];
        String value = switch (random.nextInt(5)) {
            case 0 -> name + ",BUY ,12.50," + clock;
            case 1 -> name + ",HOLD,12.50,10," + clock + ",x";
            case 2 -> name + ",SELL,-12.50,10," + clock + ",x";
            case 3 -> name + ",SELL,12.50,ten," + clock + ",x";
            default -> name.toLowerCase() + "!,BUY ,12.50,10," + clock + ",x";
        };
        return record(Kind.BAD, name.getBytes(StandardCharsets.UTF_8), value, clock, null);
    }
}
