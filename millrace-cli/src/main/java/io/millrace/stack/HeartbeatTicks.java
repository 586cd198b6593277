package io.millrace.stack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The heartbeat ticks not yet emitted: each pairs a wall-clock time T with the WAL position L that every
 * transaction committed before T lies below, and becomes due once the change stream has been processed up to L.
 *
 * <p>PostgreSQL takes a transaction's commit timestamp just before it writes the commit record, so a transaction
 * caught between the two at T has a commit time before T but no WAL yet. Such a transaction is still listed as
 * running in a snapshot taken after T, so a tick also waits for the transactions in progress at that snapshot and
 * then raises L to a position read after they finished. A transaction still running one tick later is taken to
 * be an ordinary long one (its commit time will be later than T) and no longer waited for, so a long transaction
 * never holds heartbeats back by more than one interval.
 */
final class HeartbeatTicks {

    /** A due heartbeat: wall-clock time and the WAL position it covers. */
    record Tick(long tsMillis, long lsn) {}

    /**
     * One look at the server: the transactions in progress ({@code pg_current_snapshot()}) and the WAL insert
     * position read after it.
     */
    record Reading(long xmin, long xmax, Set<Long> inProgress, long lsn) {

        Reading {
            inProgress = Set.copyOf(inProgress);
        }

        /** Parses {@code pg_current_snapshot()::text}, {@code xmin:xmax:xip1,xip2,...}. */
        static Reading of(String snapshot, long lsn) {
            String[] parts = snapshot.split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a pg_snapshot: " + snapshot);
            }
            Set<Long> running = new HashSet<>();
            if (!parts[2].isEmpty()) {
                for (String xid : parts[2].split(",")) {
                    running.add(Long.parseLong(xid.trim()));
                }
            }
            return new Reading(Long.parseLong(parts[0]), Long.parseLong(parts[1]), running, lsn);
        }

        /** Whether transaction {@code xid}, seen running earlier, has finished by this reading. */
        boolean finished(long xid) {
            return xid < xmin || (xid < xmax && !inProgress.contains(xid));
        }
    }

    /** A tick that is not due yet. */
    private static final class Pending {
        final long tsMillis;
        long lsn;
        final Set<Long> waitingFor;

        Pending(long tsMillis, Reading reading) {
            this.tsMillis = tsMillis;
            this.lsn = reading.lsn();
            this.waitingFor = new HashSet<>(reading.inProgress());
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();
    private final int capacity;

    /** @param capacity ticks kept while the stream is behind; the oldest are dropped first (newer ones cover them) */
    HeartbeatTicks(int capacity) {
        this.capacity = capacity;
    }

    /**
     * A new tick: {@code tsMillis} was taken before {@code reading}. Earlier ticks first settle against the reading,
     * and give up on transactions that are still running.
     */
    synchronized void add(long tsMillis, Reading reading) {
        settle(reading, true);
        pending.addLast(new Pending(tsMillis, reading));
        while (pending.size() > capacity) {
            pending.removeFirst();
        }
    }

    /**
     * A further reading taken moments after a tick whose snapshot showed running transactions: most of them were
     * only committing and have finished by now, so the tick need not wait for the next interval.
     */
    synchronized void recheck(Reading reading) {
        settle(reading, false);
    }

    private void settle(Reading reading, boolean giveUp) {
        for (Pending tick : pending) {
            if (tick.waitingFor.isEmpty()) {
                continue;
            }
            if (tick.waitingFor.removeIf(reading::finished)) {
                // Their commit records were written before this reading's snapshot, so below its LSN.
                tick.lsn = Math.max(tick.lsn, reading.lsn());
            }
            if (giveUp) {
                tick.waitingFor.clear();
            }
        }
    }

    /**
     * The newest tick whose position the stream has reached, removed together with all older ones; empty if none
     * is due yet.
     */
    synchronized Optional<Tick> due(long processedLsn) {
        Pending newest = null;
        for (Pending tick : pending) {
            if (tick.waitingFor.isEmpty() && tick.lsn <= processedLsn) {
                newest = tick;
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        Iterator<Pending> it = pending.iterator();
        while (it.hasNext()) {
            Pending tick = it.next();
            it.remove();
            if (tick == newest) {
                break;
            }
        }
        return Optional.of(new Tick(newest.tsMillis, newest.lsn));
    }

    synchronized int size() {
        return pending.size();
    }
}
