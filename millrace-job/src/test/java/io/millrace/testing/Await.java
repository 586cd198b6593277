package io.millrace.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits on a condition, never on a count of seconds: polls an observation until it satisfies a predicate,
 * and on timeout fails with what was awaited and the last observation, so a failure on a slow machine says
 * how far it got. Timeouts are upper bounds for a loaded 2-core machine, not expectations; the property
 * {@code millrace.test.timeout-scale} multiplies them for slower machines still.
 */
public final class Await {

    private static final double SCALE = Double.parseDouble(System.getProperty("millrace.test.timeout-scale", "1"));

    private Await() {}

    /** An observation that may throw (REST calls, SQL, Kafka admin). */
    @FunctionalInterface
    public interface Observation<T> {
        T read() throws Exception;
    }

    /** A check that runs while waiting, e.g. "the JobManager process is still alive". */
    @FunctionalInterface
    public interface Guard {
        /** Returns null if waiting may go on, otherwise why it cannot. */
        String failure() throws Exception;
    }

    /** {@code timeout} times the configured scale. */
    public static Duration scaled(Duration timeout) {
        return Duration.ofMillis((long) (timeout.toMillis() * SCALE));
    }

    /**
     * Polls {@code observation} every {@code interval} until {@code done} holds; returns the observation that
     * satisfied it. An observation that throws counts as "not yet" and its error is shown on timeout.
     */
    public static <T> T until(String what, Duration timeout, Duration interval, Observation<T> observation,
            Predicate<T> done) throws InterruptedException {
        return until(what, timeout, interval, observation, done, () -> null, () -> "");
    }

    /**
     * As {@link #until(String, Duration, Duration, Observation, Predicate)}, failing early when {@code guard}
     * reports a failure, and appending {@code context} (e.g. process logs) to the failure message.
     */
    public static <T> T until(String what, Duration timeout, Duration interval, Observation<T> observation,
            Predicate<T> done, Guard guard, Supplier<String> context) throws InterruptedException {
        Duration limit = scaled(timeout);
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        String lastSeen = "nothing yet";
        while (true) {
            try {
                T seen = observation.read();
                if (done.test(seen)) {
                    return seen;
                }
                lastSeen = String.valueOf(seen);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastSeen = "error: " + e;
            }
            String guardFailure;
            try {
                guardFailure = guard.failure();
            } catch (Exception e) {
                guardFailure = "guard failed: " + e;
            }
            if (guardFailure != null) {
                throw new AssertionError(guardFailure + " while waiting for " + what + "; last seen: " + lastSeen
                        + suffix(context));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what
                        + "; last seen: " + lastSeen + suffix(context));
            }
            TimeUnit.MILLISECONDS.sleep(interval.toMillis());
        }
    }

    private static String suffix(Supplier<String> context) {
        String text = context.get();
        return text == null || text.isEmpty() ? "" : "\n" + text;
    }
}
