package io.millrace.pipeline.payments;

import io.millrace.gen.DisorderedEventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * {@code transactions} input as the original payments generator writes it: ten fixed users whose ids start with the digits 0-9;
 * the user with leading digit d always pays 10·d (0 pays 100); half the transactions are Paid. Timestamps
 * are naive ({@code 2023-02-08 10:00:01.123}) in the given zone; keyed by user.
 */
public final class PaymentEventGenerator extends DisorderedEventGenerator {

    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final String[] users = new String[10];
    private final DateTimeFormatter format;

    public PaymentEventGenerator(GeneratorOptions options, String zone) {
        super(options);
        for (int d = 0; d < 10; d++) {
            users[d] = d + new UUID(random.nextLong(), random.nextLong()).toString().substring(1);
        }
        // As in the original, one id is not a well-formed UUID (its first group is a digit short): ids are opaque.
        users[7] = "7" + users[7].substring(2);
        this.format = NAIVE.withZone(ZoneId.of(zone));
    }

    /**
     * A JSON integer, as the original sends it, and now and then a string (other producers do): unique within
     * a run of one seed.
     */
    private String transactionId(long sequence) {
        long id = options.seed() * 1_000_000_000L + sequence;
        return sequence % 4 == 3 ? "\"" + id + "\"" : Long.toString(id);
    }

    /** The fixed amount of the user with leading digit {@code d}. */
    public static long amount(int d) {
        return d == 0 ? 100 : 10L * d;
    }

    @Override
    protected GeneratedRecord event(Kind kind, long ts, long sequence, Integer partition) {
        int d = random.nextInt(10);
        // Closing events must count: they are always Paid.
        String status = kind == Kind.CLOSE || random.nextBoolean() ? "Paid" : "Refused";
        String json = "{\"event_timestamp\":\"" + format.format(Instant.ofEpochMilli(ts)) + "\",\"user_id\":\"" + users[d]
                + "\",\"transaction_id\":" + transactionId(sequence) + ",\"total_paid\":" + amount(d)
                + ",\"status\":\"" + status + "\"}";
        return record(kind, users[d].getBytes(StandardCharsets.UTF_8), json, ts, partition);
    }

    @Override
    protected GeneratedRecord malformed(long clock, long sequence) {
        int d = random.nextInt(10);
        String ts = format.format(Instant.ofEpochMilli(clock));
        String head = "{\"event_timestamp\":\"" + ts + "\",\"user_id\":\"" + users[d] + "\",\"transaction_id\":\""
                + new UUID(options.seed(), sequence) + "\"";
        String value = switch (random.nextInt(5)) {
            case 0 -> head + ",\"total_paid\":" + amount(d) + ",\"status\":\"Pending\"}";
            case 1 -> head + ",\"status\":\"Paid\"}";
            case 2 -> head + ",\"total_paid\":-" + amount(d) + ",\"status\":\"Paid\"}";
            case 3 -> "{\"event_timestamp\":\"" + Instant.ofEpochMilli(clock) + "X\",\"user_id\":\"" + users[d]
                    + "\",\"transaction_id\":\"t\",\"total_paid\":10,\"status\":\"Paid\"}";
            default -> head + ",\"total_paid\":" + amount(d);
        };
        return record(Kind.BAD, users[d].getBytes(StandardCharsets.UTF_8), value, clock, null);
    }
}
