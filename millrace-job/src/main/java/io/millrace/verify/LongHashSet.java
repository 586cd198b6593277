package io.millrace.verify;

/**
 * A set of 64-bit values in one open-addressing array: 8 bytes an entry instead of a boxed object,
 * so verify can remember tens of millions of trade ids. {@code 0} is stored out of line.
 */
public final class LongHashSet {
    private long[] slots = new long[1 << 16];
    private int size;
    private boolean hasZero;

    /** Adds {@code value}; true if it was not there yet. */
    public boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = (int) mix(value) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == value) {
                return false;
            }
            if (slots[i] == 0) {
                slots[i] = value;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != 0) {
                add(v);
            }
        }
    }

    private static long mix(long v) {
        v ^= v >>> 33;
        v *= 0xff51afd7ed558ccdL;
        v ^= v >>> 33;
        return v;
    }

    /**
     * A 64-bit fingerprint of a string (FNV-1a, then a finaliser). Among 20 million ids the chance that
     * two different ones collide is below 1e-5; a collision could only make verify miscount one duplicate.
     */
    public static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
