package io.millrace.function;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The trade-id fingerprints ({@link TradeIdFingerprint}) one symbol has seen, each with the clean-up time of its
 * window, side by side in one {@code long[]} with open addressing: one probe (one cache line) tells whether an id was
 * seen in any window, there is no boxed entry per id, and the ids of the windows that closed go in one sweep.
 */
public final class SeenTradeIds {
    /** {@link #add}: the id was there already. */
    public static final int PRESENT = 0;
    /** {@link #add}: added, to a window that already had ids. */
    public static final int ADDED = 1;
    /** {@link #add}: added, the first id of its window. */
    public static final int ADDED_TO_NEW_WINDOW = 2;

    /** Marks an empty slot; the fingerprint 0 itself is kept out of line. */
    private static final long EMPTY = 0L;
    private static final int MIN_CAPACITY = 16;

    /** Slot {@code i} holds an id at {@code 2i} and its clean-up time at {@code 2i + 1}. */
    private long[] slots;
    private int size;
    private boolean hasZero;
    private long zeroCleanupTime;
    /** The distinct clean-up times and how many ids each has (a handful: the windows that can still change). */
    private long[] windows = new long[4];
    private int[] windowSizes = new int[4];
    private int windowCount;

    public SeenTradeIds() {
        this(0);
    }

    private SeenTradeIds(int expected) {
        int capacity = MIN_CAPACITY;
        while (capacity < expected * 2L) {
            capacity <<= 1;
        }
        slots = new long[2 * capacity];
    }

    public boolean contains(long id) {
        if (id == EMPTY) {
            return hasZero;
        }
        int mask = capacity() - 1;
        for (int i = index(id, mask); ; i = (i + 1) & mask) {
            long slot = slots[2 * i];
            if (slot == id) {
                return true;
            }
            if (slot == EMPTY) {
                return false;
            }
        }
    }

    /**
     * Adds {@code id}, remembered until {@code cleanupTime}: {@link #PRESENT}, {@link #ADDED} or
     * {@link #ADDED_TO_NEW_WINDOW}.
     */
    public int add(long id, long cleanupTime) {
        if (id == EMPTY) {
            if (hasZero) {
                return PRESENT;
            }
            hasZero = true;
            zeroCleanupTime = cleanupTime;
        } else {
            int mask = capacity() - 1;
            int i = index(id, mask);
            for (long slot = slots[2 * i]; slot != EMPTY; slot = slots[2 * i]) {
                if (slot == id) {
                    return PRESENT;
                }
                i = (i + 1) & mask;
            }
            slots[2 * i] = id;
            slots[2 * i + 1] = cleanupTime;
            // At most half full, so a probe ends after a couple of slots.
            if (2 * (size + 1) > capacity()) {
                rehash(capacity() * 2, Long.MIN_VALUE);
            }
        }
        size++;
        return countIn(cleanupTime) ? ADDED_TO_NEW_WINDOW : ADDED;
    }

    /** Forgets every id whose clean-up time is at or before {@code time}. */
    public void removeUpTo(long time) {
        int removed = 0;
        int kept = 0;
        for (int w = 0; w < windowCount; w++) {
            if (windows[w] <= time) {
                removed += windowSizes[w];
            } else {
                windows[kept] = windows[w];
                windowSizes[kept++] = windowSizes[w];
            }
        }
        if (removed == 0) {
            return;
        }
        windowCount = kept;
        if (hasZero && zeroCleanupTime <= time) {
            hasZero = false;
        }
        size -= removed;
        // The next window fills about as many slots as the one that closed: keep the room unless most of it is idle.
        int capacity = capacity();
        while (capacity > MIN_CAPACITY && size * 16L < capacity) {
            capacity >>= 1;
        }
        rehash(capacity, time);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public SeenTradeIds copy() {
        SeenTradeIds copy = new SeenTradeIds();
        copy.slots = slots.clone();
        copy.size = size;
        copy.hasZero = hasZero;
        copy.zeroCleanupTime = zeroCleanupTime;
        copy.windows = windows.clone();
        copy.windowSizes = windowSizes.clone();
        copy.windowCount = windowCount;
        return copy;
    }

    /** The number of ids, the number of windows, then per window its clean-up time, its number of ids and the ids. */
    void write(DataOutput out) throws IOException {
        out.writeInt(size);
        out.writeInt(windowCount);
        for (int w = 0; w < windowCount; w++) {
            long window = windows[w];
            out.writeLong(window);
            out.writeInt(windowSizes[w]);
            if (hasZero && zeroCleanupTime == window) {
                out.writeLong(EMPTY);
            }
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] != EMPTY && slots[i + 1] == window) {
                    out.writeLong(slots[i]);
                }
            }
        }
    }

    static SeenTradeIds read(DataInput in) throws IOException {
        SeenTradeIds seen = new SeenTradeIds(in.readInt());
        int windowCount = in.readInt();
        for (int w = 0; w < windowCount; w++) {
            long window = in.readLong();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                seen.add(in.readLong(), window);
            }
        }
        return seen;
    }

    /** Counts one more id in {@code window}; true if it is the window's first. */
    private boolean countIn(long window) {
        for (int w = 0; w < windowCount; w++) {
            if (windows[w] == window) {
                windowSizes[w]++;
                return false;
            }
        }
        if (windowCount == windows.length) {
            windows = Arrays.copyOf(windows, windowCount * 2);
            windowSizes = Arrays.copyOf(windowSizes, windowCount * 2);
        }
        windows[windowCount] = window;
        windowSizes[windowCount++] = 1;
        return true;
    }

    /** Re-inserts the ids whose clean-up time is after {@code dropUpTo} into tables of {@code capacity} slots. */
    private void rehash(int capacity, long dropUpTo) {
        long[] old = slots;
        slots = new long[2 * capacity];
        int mask = capacity - 1;
        for (int j = 0; j < old.length; j += 2) {
            long id = old[j];
            if (id != EMPTY && old[j + 1] > dropUpTo) {
                int i = index(id, mask);
                while (slots[2 * i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[2 * i] = id;
                slots[2 * i + 1] = old[j + 1];
            }
        }
    }

    private int capacity() {
        return slots.length >> 1;
    }

    /** Fingerprints are already well mixed; folding in the high bits also spreads ids that differ only there. */
    private static int index(long id, int mask) {
        return (int) (id ^ (id >>> 32)) & mask;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SeenTradeIds other) || other.size != size || other.hasZero != hasZero
                || hasZero && other.zeroCleanupTime != zeroCleanupTime) {
            return false;
        }
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != EMPTY && other.cleanupTimeOf(slots[i]) != slots[i + 1]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        long sum = hasZero ? zeroCleanupTime : 0;
        for (int i = 0; i < slots.length; i += 2) {
            sum += slots[i] * 31 + slots[i + 1];
        }
        return Long.hashCode(sum);
    }

    /** The clean-up time of {@code id}, or {@link Long#MIN_VALUE} if absent. */
    long cleanupTimeOf(long id) {
        if (id == EMPTY) {
            return hasZero ? zeroCleanupTime : Long.MIN_VALUE;
        }
        int mask = capacity() - 1;
        for (int i = index(id, mask); ; i = (i + 1) & mask) {
            if (slots[2 * i] == id) {
                return slots[2 * i + 1];
            }
            if (slots[2 * i] == EMPTY) {
                return Long.MIN_VALUE;
            }
        }
    }

    @Override
    public String toString() {
        return "SeenTradeIds(" + size + " ids in " + windowCount + " windows)";
    }
}
