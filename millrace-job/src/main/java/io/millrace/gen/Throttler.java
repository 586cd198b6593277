package io.millrace.gen;

/** Holds a producer to a target rate by sleeping whenever it gets ahead of schedule. */
public final class Throttler {
    private final double ratePerNano;
    private final long start = System.nanoTime();

    public Throttler(double ratePerSecond) {
        this.ratePerNano = ratePerSecond / 1e9;
    }

    /** Blocks until {@code produced} events are due. */
    public void await(long produced) throws InterruptedException {
        long due = start + (long) (produced / ratePerNano);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
