package io.millrace.sink;

import java.util.Map;
import java.util.Objects;

/**
 * One absolute write to Redis: its effect does not depend on what the key held before, so writing it again
 * (a retry, or a replay after recovery) leaves Redis as writing it once did. Counters (INCR) and relative
 * expiries (EXPIRE) are deliberately absent: replayed, they would count twice or push the expiry out.
 */
public sealed interface RedisWrite {

    String key();

    /** What this write determines; a later write to the same slot makes this one redundant. */
    Slot slot();

    /** The part of a key a write determines: the whole key, one hash field, one sorted-set member, or its expiry. */
    record Slot(String key, Part part, String name) {

        /** Which part of the key. */
        public enum Part { WHOLE_KEY, HASH_FIELD, MEMBER, EXPIRY }

        static Slot wholeKey(String key) {
            return new Slot(key, Part.WHOLE_KEY, "");
        }

        static Slot expiry(String key) {
            return new Slot(key, Part.EXPIRY, "");
        }
    }

    /** SET key value: the key becomes this string, and loses any expiry. */
    record Set(String key, String value) implements RedisWrite {
        public Set {
            requireKey(key);
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Slot slot() {
            return Slot.wholeKey(key);
        }
    }

    /** HSET key field value: one field of a hash. */
    record HashSet(String key, String field, String value) implements RedisWrite {
        public HashSet {
            requireKey(key);
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Slot slot() {
            return new Slot(key, Slot.Part.HASH_FIELD, field);
        }
    }

    /** ZADD key score member: one member of a sorted set and its score. */
    record SortedSetAdd(String key, String member, double score) implements RedisWrite {
        public SortedSetAdd {
            requireKey(key);
            Objects.requireNonNull(member, "member");
            requireScore(score);
        }

        @Override
        public Slot slot() {
            return new Slot(key, Slot.Part.MEMBER, member);
        }
    }

    /**
     * The whole sorted set becomes exactly {@code members} (no members: the key is deleted), in one step:
     * a reader sees the old set or the new one, never an empty or partly written one.
     */
    record SortedSetReplace(String key, Map<String, Double> members) implements RedisWrite {
        public SortedSetReplace {
            requireKey(key);
            members = Map.copyOf(members);
            members.values().forEach(RedisWrite::requireScore);
        }

        @Override
        public Slot slot() {
            return Slot.wholeKey(key);
        }
    }

    /** DEL key. */
    record Delete(String key) implements RedisWrite {
        public Delete {
            requireKey(key);
        }

        @Override
        public Slot slot() {
            return Slot.wholeKey(key);
        }
    }

    /**
     * EXPIREAT key epochSeconds: an absolute expiry, applied to the key as the writes before it left it (Redis
     * ignores it for a key that does not exist, so it belongs after the writes that create the key).
     */
    record ExpireAt(String key, long epochSeconds) implements RedisWrite {
        public ExpireAt {
            requireKey(key);
        }

        @Override
        public Slot slot() {
            return Slot.expiry(key);
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a Redis key must not be empty");
        }
    }

    private static void requireScore(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("a sorted-set score must be a number, not NaN");
        }
    }
}
