package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The written-but-not-sent bytes of one mount, bounded: a writer takes bytes before it buffers
 * them and gives them back once they are on the replicas. A writer that finds the budget spent
 * waits (back-pressure) instead of growing the heap. Thread-safe.
 */
public final class DirtyBudget {
    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private long used;

    public DirtyBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
    }

    /**
     * Takes {@code n} bytes if they fit now. A request larger than the whole limit fits when
     * nothing else is held, so one big write cannot wait forever.
     */
    public boolean tryAcquire(long n) {
        lock.lock();
        try {
            if (used + n <= limit || used == 0) {
                used += n;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code n} bytes, waiting up to {@code timeout} for others to give some back. */
    public void acquire(long n, Duration timeout) throws CairnException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (used + n > limit && used != 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new CairnException(ErrorCode.TIMEOUT, "written data could not be sent to the storage nodes within "
                            + timeout.toSeconds() + " s (" + used + " bytes wait); are the storage nodes up?");
                }
                freed.await(left, TimeUnit.NANOSECONDS);
            }
            used += n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TIMEOUT, "interrupted while waiting to buffer a write", e);
        } finally {
            lock.unlock();
        }
    }

    public void release(long n) {
        if (n == 0) {
            return;
        }
        lock.lock();
        try {
            used -= n;
            if (used < 0) {
                throw new IllegalStateException("released more dirty bytes than were taken");
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    public long limit() {
        return limit;
    }
}
