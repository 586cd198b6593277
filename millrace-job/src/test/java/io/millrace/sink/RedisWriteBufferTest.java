package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The write buffer's coalescing: fewer commands, and the same Redis afterwards as sending every write in order. */
class RedisWriteBufferTest {

    private static final long NOON = 1_764_000_000L;

    private final RedisWriteBuffer buffer = new RedisWriteBuffer();

    private void add(RedisWrite... writes) {
        for (RedisWrite write : writes) {
            buffer.add(write);
        }
    }

    @Test
    void manyWritesToOneSlotLeaveTheLastOne() {
        for (int i = 1; i <= 1000; i++) {
            add(new RedisWrite.HashSet("trade:1", "price", Integer.toString(i)));
        }

        assertThat(buffer.pending()).containsExactly(new RedisWrite.HashSet("trade:1", "price", "1000"));
        assertThat(buffer.size()).isOne();
    }

    @Test
    void writesToDifferentSlotsKeepTheirArrivalOrder() {
        RedisWrite name = new RedisWrite.Set("name:1", "ACME");
        RedisWrite price = new RedisWrite.HashSet("trade:1", "price", "12.5");
        RedisWrite volume = new RedisWrite.HashSet("trade:1", "volume", "300");
        RedisWrite rank = new RedisWrite.SortedSetAdd("leaders", "ACME", 3.0);
        RedisWrite otherRank = new RedisWrite.SortedSetAdd("leaders", "INIT", 1.0);
        add(name, price, volume, rank, otherRank);

        assertThat(buffer.pending()).containsExactly(name, price, volume, rank, otherRank);
    }

    @Test
    void aRewrittenSlotMovesBehindTheWritesItFollowed() {
        RedisWrite delete = new RedisWrite.Delete("trade:1");
        RedisWrite later = new RedisWrite.HashSet("trade:1", "price", "13");
        add(new RedisWrite.HashSet("trade:1", "price", "12"), delete, later);

        // In place, the HSET would run before the DEL and the key would end up deleted.
        assertThat(buffer.pending()).containsExactly(delete, later);
    }

    @Test
    void aWholeKeyWriteDropsThePendingWritesOfThatKeyOnly() {
        RedisWrite otherKey = new RedisWrite.HashSet("trade:2", "price", "7");
        RedisWrite replace = new RedisWrite.SortedSetReplace("trade:1", Map.of("a", 1.0));
        add(new RedisWrite.SortedSetAdd("trade:1", "x", 1.0), otherKey, new RedisWrite.SortedSetAdd("trade:1", "y", 2.0),
                new RedisWrite.ExpireAt("trade:1", NOON), replace);

        assertThat(buffer.pending()).containsExactly(otherKey, replace);
    }

    @Test
    void expiriesGoLastAndTheLastExpiryOfAKeyWins() {
        RedisWrite first = new RedisWrite.HashSet("session:1", "user", "u1");
        RedisWrite second = new RedisWrite.HashSet("session:1", "user", "u2");
        RedisWrite other = new RedisWrite.Set("name:1", "ACME");
        add(first, new RedisWrite.ExpireAt("session:1", NOON), second, other,
                new RedisWrite.ExpireAt("session:1", NOON + 60));

        assertThat(buffer.pending()).containsExactly(second, other, new RedisWrite.ExpireAt("session:1", NOON + 60));
    }

    @Test
    void clearEmptiesTheBuffer() {
        add(new RedisWrite.Set("a", "1"), new RedisWrite.HashSet("b", "f", "1"), new RedisWrite.ExpireAt("b", NOON));
        assertThat(buffer.size()).isEqualTo(3);

        buffer.clear();
        add(new RedisWrite.Delete("b"));

        assertThat(buffer.pending()).containsExactly(new RedisWrite.Delete("b"));
    }

    /**
     * Random sequences over a few keys of each type: sending the coalesced writes leaves a model of Redis as
     * sending every write does. Expiries follow a write that leaves their key in place, as a mapper emits them.
     */
    @Test
    void sendingTheCoalescedWritesLeavesRedisAsSendingEveryWrite() {
        Random random = new Random(7);
        for (int run = 0; run < 5_000; run++) {
            Map<String, Model.Value> start = Model.randomState(random);
            List<RedisWrite> all = randomWrites(random, 1 + random.nextInt(40));
            buffer.clear();
            all.forEach(buffer::add);

            Model everyWrite = new Model(start);
            all.forEach(everyWrite::apply);
            Model coalesced = new Model(start);
            buffer.pending().forEach(coalesced::apply);

            assertThat(coalesced.keys).as("run %d: %s -> %s", run, all, buffer.pending()).isEqualTo(everyWrite.keys);
            assertThat(buffer.size()).isLessThanOrEqualTo(all.size());
        }
    }

    private static List<RedisWrite> randomWrites(Random random, int count) {
        List<RedisWrite> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String suffix = Integer.toString(random.nextInt(2));
            String field = "f" + random.nextInt(3);
            RedisWrite write = switch (random.nextInt(3)) {
                case 0 -> random.nextInt(4) == 0 ? new RedisWrite.Delete("s" + suffix)
                        : new RedisWrite.Set("s" + suffix, "v" + i);
                case 1 -> random.nextInt(5) == 0 ? new RedisWrite.Delete("h" + suffix)
                        : new RedisWrite.HashSet("h" + suffix, field, "v" + i);
                default -> switch (random.nextInt(6)) {
                    case 0 -> new RedisWrite.Delete("z" + suffix);
                    case 1 -> new RedisWrite.SortedSetReplace("z" + suffix,
                            random.nextBoolean() ? Map.of() : Map.of(field, (double) i, "g", -1.0));
                    default -> new RedisWrite.SortedSetAdd("z" + suffix, field, i);
                };
            };
            writes.add(write);
            boolean deletes = write instanceof RedisWrite.Delete
                    || write instanceof RedisWrite.SortedSetReplace replace && replace.members().isEmpty();
            if (!deletes && random.nextInt(3) == 0) {
                writes.add(new RedisWrite.ExpireAt(write.key(), NOON + i));
            }
        }
        return writes;
    }

    /** The part of Redis the writes touch: strings, hashes, sorted sets, and expiries. */
    private static final class Model {
        /** A key's value (a String, or a map of fields or members) and its expiry (or null). */
        record Value(Object data, Long expireAt) {}

        final Map<String, Value> keys;

        Model(Map<String, Value> start) {
            keys = new HashMap<>(start);
        }

        static Map<String, Value> randomState(Random random) {
            Map<String, Value> state = new HashMap<>();
            for (String suffix : List.of("0", "1")) {
                Long expiry = random.nextBoolean() ? null : NOON - 1;
                if (random.nextBoolean()) {
                    state.put("s" + suffix, new Value("old", expiry));
                }
                if (random.nextBoolean()) {
                    state.put("h" + suffix, new Value(new TreeMap<>(Map.of("f0", "old", "old", "old")), expiry));
                }
                if (random.nextBoolean()) {
                    state.put("z" + suffix, new Value(new TreeMap<>(Map.of("f1", 0.5, "old", 0.0)), expiry));
                }
            }
            return state;
        }

        void apply(RedisWrite write) {
            Value current = keys.get(write.key());
            if (write instanceof RedisWrite.Set set) {
                keys.put(set.key(), new Value(set.value(), null));
            } else if (write instanceof RedisWrite.HashSet hashSet) {
                keys.put(hashSet.key(), new Value(with(current, hashSet.field(), hashSet.value()), expiry(current)));
            } else if (write instanceof RedisWrite.SortedSetAdd add) {
                keys.put(add.key(), new Value(with(current, add.member(), add.score()), expiry(current)));
            } else if (write instanceof RedisWrite.SortedSetReplace replace) {
                if (replace.members().isEmpty()) {
                    keys.remove(replace.key());
                } else {
                    keys.put(replace.key(), new Value(new TreeMap<>(replace.members()), null));
                }
            } else if (write instanceof RedisWrite.Delete delete) {
                keys.remove(delete.key());
            } else if (write instanceof RedisWrite.ExpireAt expireAt && current != null) {
                keys.put(expireAt.key(), new Value(current.data(), expireAt.epochSeconds()));
            }
        }

        private static Long expiry(Value current) {
            return current == null ? null : current.expireAt();
        }

        @SuppressWarnings("unchecked")
        private static <V> TreeMap<String, V> with(Value current, String name, V value) {
            TreeMap<String, V> map = current == null ? new TreeMap<>() : new TreeMap<>((Map<String, V>) current.data());
            map.put(name, value);
            return map;
        }
    }
}
