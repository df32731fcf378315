package io.cairn.common;

import java.time.Duration;

/**
 * How one call that met a transient error (no leader yet, a replica restarting, a placement not
 * ready) waits before it tries again: pauses that double from a first length up to a cap, all
 * within one deadline, the call's I/O timeout. One instance per call; not thread-safe.
 *
 * <p>The caller decides what is transient and what to do between tries; this class only keeps
 * the clock, so every retry loop of the client waits the same way.
 */
public final class Backoff {
    private final long deadlineNanos;
    private final long capMillis;
    private long pauseMillis;

    public Backoff(Duration timeout, long firstMillis, long capMillis) {
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.pauseMillis = firstMillis;
        this.capMillis = capMillis;
    }

    /** Pauses of 20 ms doubling to 1 s, the client's usual. */
    public static Backoff within(Duration timeout) {
        return new Backoff(timeout, 20, 1000);
    }

    /** Whether the deadline has passed: the caller gives up with its last problem. */
    public boolean expired() {
        return System.nanoTime() > deadlineNanos;
    }

    /** Whether the next pause would end past the deadline: this try is the last one. */
    public boolean lastTry() {
        return System.nanoTime() + pauseMillis * 1_000_000 > deadlineNanos;
    }

    /** Nanoseconds left before the deadline, at least 1 (for a bounded wait on a future). */
    public long remainingNanos() {
        return Math.max(1, deadlineNanos - System.nanoTime());
    }

    /**
     * Sleeps the current pause and doubles the next one. An interrupt ends the call with TIMEOUT
     * (the interrupt flag stays set); {@code during} names what was interrupted.
     */
    public void pause(String during) throws CairnException {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TIMEOUT, "interrupted while " + during, e);
        }
        pauseMillis = Math.min(pauseMillis * 2, capMillis);
    }
}
