package io.cairn.storage.replication;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Order of pipelined writes to a chunk. The primary numbers the pieces of a chunk it forwards (a
 * stream: a random id and sequence numbers 1, 2, ...) and keeps several in flight at once; every
 * replica applies a stream's pieces strictly in that order, waiting a bounded time for a missing
 * predecessor, so replicas end up with the primary's bytes even for overlapping writes. A stream
 * lives while its pieces are in flight; a write after a quiet moment opens a new one.
 *
 * <p>Threading: the primary's methods are called holding the chunk's lock (its monitor, passed
 * in); their waits release it, as {@link Object#wait} does. A replica waits for its turn before
 * it takes the chunk's lock and marks a piece applied while it holds it.
 */
public final class ChunkStreams {
    /** The primary's side of one stream. */
    static final class Primary {
        final long id = ThreadLocalRandom.current().nextLong();
        final long epoch;
        long nextSeq = 1;
        /** The replica's length once every piece given a number so far is applied. */
        long projected;
        int inflight;
        boolean draining;

        Primary(long epoch, long length) {
            this.epoch = epoch;
            this.projected = length;
        }
    }

    private record Position(long stream, long seq, long atNanos) {
    }

    /** A piece of a stream waiting for its turn on a replica. */
    private record Turn(long chunkId, long stream, long seq) {
    }

    interface Length {
        long get() throws CairnException;
    }

    private static final int TIDY_ABOVE = 4096;
    private static final long IDLE_NANOS = Duration.ofMinutes(1).toNanos();

    private final Map<Long, Primary> primaries = new ConcurrentHashMap<>();
    private final Map<Long, Position> replicas = new ConcurrentHashMap<>();
    private final Map<Turn, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();
    private final long orderWaitNanos;

    /** {@code orderWait}: how long a replica waits for a missing predecessor (busy primaries wait four times as long). */
    public ChunkStreams(Duration orderWait) {
        this.orderWaitNanos = orderWait.toNanos();
    }

    /**
     * Waits while the chunk's stream is being drained (repair, truncate) or belongs to an older
     * epoch and still has pieces in flight.
     */
    void awaitOpen(Object lock, long chunkId, long epoch) throws CairnException {
        long deadline = System.nanoTime() + orderWaitNanos * 4;
        Primary p = primaries.get(chunkId);
        while (p != null && (p.draining || p.epoch != epoch && p.inflight > 0)) {
            waitOn(lock, deadline, "chunk " + Long.toHexString(chunkId) + " is busy (repair or epoch change)");
            p = primaries.get(chunkId);
        }
    }

    /** The chunk's stream at {@code epoch}, a new one if there is none; call after {@link #awaitOpen}. */
    Primary join(long chunkId, long epoch, Length length) throws CairnException {
        Primary p = primaries.get(chunkId);
        if (p == null || p.epoch != epoch) {
            p = new Primary(epoch, length.get());
            primaries.put(chunkId, p);
        }
        return p;
    }

    /** A piece of {@code p} got its answers from every replica. */
    void finished(Object lock, long chunkId, Primary p) {
        p.inflight--;
        if (p.inflight == 0) {
            primaries.remove(chunkId, p);
        }
        lock.notifyAll();
    }

    /** Waits until no piece of the chunk is in flight, holding back new ones meanwhile. */
    public void drain(Object lock, long chunkId) throws CairnException {
        Primary p = primaries.get(chunkId);
        if (p == null) {
            return;
        }
        p.draining = true;
        try {
            long deadline = System.nanoTime() + orderWaitNanos * 4;
            while (p.inflight > 0) {
                waitOn(lock, deadline, "writes to chunk " + Long.toHexString(chunkId) + " did not finish");
            }
        } finally {
            p.draining = false;
            primaries.remove(chunkId, p);
            lock.notifyAll();
        }
    }

    /**
     * On a replica, before taking the chunk's lock: waits until piece {@code seq} of {@code stream}
     * is the next to apply. Only the piece whose turn comes is woken (a gate per awaited piece), so
     * many pieces in flight cost no storm of wake-ups. A piece whose predecessor does not come
     * within the order wait fails: this replica missed a write.
     */
    void awaitTurn(long chunkId, long stream, long seq) throws CairnException {
        if (seq == 0) {
            return;
        }
        long deadline = System.nanoTime() + orderWaitNanos;
        Turn turn = new Turn(chunkId, stream, seq);
        try {
            while (!isTurn(chunkId, stream, seq)) {
                java.util.concurrent.CountDownLatch gate = gates.computeIfAbsent(turn,
                        k -> new java.util.concurrent.CountDownLatch(1));
                if (isTurn(chunkId, stream, seq)) {
                    break;  // applied between the check and the gate
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !gate.await(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    throw new CairnException(ErrorCode.IO_ERROR, "piece " + (seq - 1) + " of chunk " + Long.toHexString(chunkId)
                            + " never arrived before piece " + seq + ": this replica missed a write and needs repair");
                }
                gates.remove(turn, gate);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TIMEOUT, "interrupted while waiting for piece " + (seq - 1), e);
        } finally {
            gates.remove(turn);
        }
    }

    /** Pieces waiting for their turn now (tests). */
    int waiting() {
        return gates.size();
    }

    /** Whether piece {@code seq} of {@code stream} is next; fails if it was applied already. */
    private boolean isTurn(long chunkId, long stream, long seq) throws CairnException {
        Position at = replicas.get(chunkId);
        boolean same = at != null && at.stream() == stream;
        if (same && at.seq() >= seq) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "piece " + seq + " of chunk "
                    + Long.toHexString(chunkId) + " was applied already");
        }
        return same ? at.seq() == seq - 1 : seq == 1;
    }

    /** On a replica, under the chunk's lock: piece {@code seq} of {@code stream} is done (applied or refused). */
    void applied(long chunkId, long stream, long seq) {
        if (seq == 0) {
            return;
        }
        long now = System.nanoTime();
        replicas.put(chunkId, new Position(stream, seq, now));
        java.util.concurrent.CountDownLatch next = gates.get(new Turn(chunkId, stream, seq + 1));
        if (next != null) {
            next.countDown();
        }
        if (replicas.size() > TIDY_ABOVE) {
            replicas.values().removeIf(p -> now - p.atNanos() > IDLE_NANOS);
        }
    }

    private static void waitOn(Object lock, long deadline, String what) throws CairnException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new CairnException(ErrorCode.IO_ERROR, what);
        }
        try {
            lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TIMEOUT, "interrupted while waiting: " + what, e);
        }
    }
}
