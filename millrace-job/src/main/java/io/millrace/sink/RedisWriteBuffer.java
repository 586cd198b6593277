package io.millrace.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes waiting for the next flush, coalesced so that sending them leaves Redis as sending every write
 * in arrival order would, with fewer commands. A write replaces the pending write of its slot and moves to
 * the end (the last one wins, and stays after everything it followed); a whole-key write (SET, DEL, a sorted-set
 * replace) also drops every pending write of its key, whose effect it erases. Expiries go last, so that an
 * expiry applies to its key as the flush leaves it, even when a later field write had to move behind it.
 */
final class RedisWriteBuffer {

    private final LinkedHashMap<RedisWrite.Slot, RedisWrite> writes = new LinkedHashMap<>();
    private final LinkedHashMap<String, RedisWrite.ExpireAt> expiries = new LinkedHashMap<>();
    /** The pending field and member slots of each key, for a whole-key write to drop. */
    private final Map<String, List<RedisWrite.Slot>> partsByKey = new HashMap<>();

    void add(RedisWrite write) {
        String key = write.key();
        if (write instanceof RedisWrite.ExpireAt expiry) {
            expiries.remove(key);
            expiries.put(key, expiry);
            return;
        }
        RedisWrite.Slot slot = write.slot();
        if (slot.part() == RedisWrite.Slot.Part.WHOLE_KEY) {
            List<RedisWrite.Slot> parts = partsByKey.remove(key);
            if (parts != null) {
                parts.forEach(writes::remove);
            }
            // SET, DEL and the replace all leave the key without an expiry, as Redis does.
            expiries.remove(key);
        } else if (!writes.containsKey(slot)) {
            partsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(slot);
        }
        writes.remove(slot);
        writes.put(slot, write);
    }

    /** The writes to send, in the order to send them. */
    List<RedisWrite> pending() {
        List<RedisWrite> all = new ArrayList<>(size());
        all.addAll(writes.values());
        all.addAll(expiries.values());
        return all;
    }

    int size() {
        return writes.size() + expiries.size();
    }

    boolean isEmpty() {
        return writes.isEmpty() && expiries.isEmpty();
    }

    void clear() {
        writes.clear();
        expiries.clear();
        partsByKey.clear();
    }
}
