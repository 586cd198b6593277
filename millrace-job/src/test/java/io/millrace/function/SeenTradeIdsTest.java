package io.millrace.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The id table against a {@link HashMap} of id to clean-up time: adds, windows, sweeps, copies and its format. */
class SeenTradeIdsTest {

    private static final long MINUTE = 60_000;

    @Test
    void behavesLikeAMapFromIdToCleanupTime() throws Exception {
        Random random = new Random(7);
        SeenTradeIds seen = new SeenTradeIds();
        Map<Long, Long> oracle = new HashMap<>();
        long window = 10 * MINUTE;
        for (int i = 0; i < 60_000; i++) {
            if (i % 5_000 == 4_999) {
                window += MINUTE;
                // Windows close in order, two behind the newest one.
                long closed = window - 2 * MINUTE;
                seen.removeUpTo(closed);
                oracle.values().removeIf(t -> t <= closed);
                assertThat(seen.size()).isEqualTo(oracle.size());
            }
            // Small ids repeat (duplicates), 0 is a legal fingerprint, and ids equal but for the high bits collide.
            long id = switch (i % 4) {
                case 0 -> random.nextInt(3000);
                case 1 -> ((long) random.nextInt(64) << 32) | 5;
                case 2 -> 0;
                default -> random.nextLong();
            };
            long cleanup = window - random.nextInt(2) * MINUTE;
            boolean newWindow = oracle.values().stream().noneMatch(t -> t == cleanup);
            int added = seen.add(id, cleanup);
            if (oracle.containsKey(id)) {
                assertThat(added).isEqualTo(SeenTradeIds.PRESENT);
            } else {
                oracle.put(id, cleanup);
                assertThat(added).isEqualTo(newWindow ? SeenTradeIds.ADDED_TO_NEW_WINDOW : SeenTradeIds.ADDED);
            }
            long probe = random.nextLong() % 4000;
            assertThat(seen.contains(probe)).isEqualTo(oracle.containsKey(probe));
        }
        assertThat(seen.size()).isEqualTo(oracle.size());
        oracle.forEach((id, cleanup) -> assertThat(seen.cleanupTimeOf(id)).isEqualTo(cleanup));

        SeenTradeIds copy = SeenTradeIdsSerializer.INSTANCE.copy(seen);
        assertThat(copy).isEqualTo(seen);
        copy.add(Long.MIN_VALUE + 3, window);
        assertThat(seen.contains(Long.MIN_VALUE + 3)).as("a copy is independent").isFalse();

        DataOutputSerializer out = new DataOutputSerializer(1024);
        SeenTradeIdsSerializer.INSTANCE.serialize(seen, out);
        SeenTradeIds read = SeenTradeIdsSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read).isEqualTo(seen);
        oracle.forEach((id, cleanup) -> assertThat(read.cleanupTimeOf(id)).isEqualTo(cleanup));

        read.removeUpTo(Long.MAX_VALUE);
        assertThat(read.isEmpty()).isTrue();
        assertThat(read.contains(0)).isFalse();
    }
}
