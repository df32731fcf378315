package io.cairn.storage.replication;

import io.cairn.proto.ErrorCode;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Calls from a primary to the other replicas of a chunk, in parallel, and what became of them:
 * each replica that refused or did not answer within the timeout is a failed brick. Transport
 * free: the calls go through {@link Peers}. Thread-safe; it keeps no state between calls.
 */
public final class Replicator {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Replicator.class);

    private final Peers peers;
    private final Duration timeout;

    /** {@code timeout}: how long the answers of one set of started calls are awaited in all. */
    public Replicator(Peers peers, Duration timeout) {
        this.peers = peers;
        this.timeout = timeout;
    }

    /** The calls this replicator forwards through. */
    public Peers peers() {
        return peers;
    }

    /** Calls started on every replica of a chunk at once. */
    record Forwarded(List<Replica> replicas, List<Future<StorageReply>> calls) {
    }

    /** Runs {@code call} against every replica at once; returns the bricks whose call failed or timed out. */
    public List<Long> forward(List<Replica> replicas, Function<Replica, Future<StorageReply>> call) {
        return await(start(replicas, call));
    }

    /** Starts {@code call} on every replica without waiting. */
    Forwarded start(List<Replica> replicas, Function<Replica, Future<StorageReply>> call) {
        List<Future<StorageReply>> pending = new ArrayList<>();
        for (Replica r : replicas) {
            pending.add(call.apply(r));
        }
        return new Forwarded(replicas, pending);
    }

    /** Waits for started calls; returns the bricks whose call failed or timed out. */
    List<Long> await(Forwarded started) {
        return awaitFailures(started).bricks();
    }

    /**
     * The bricks whose call failed or timed out, and which of them refused because their disk is
     * full (NO_SPACE): a caller that cannot drop them answers ENOSPC rather than a quorum error.
     */
    record Failures(List<Long> bricks, List<Long> full) {
        boolean allFull() {
            return !bricks.isEmpty() && full.size() == bricks.size();
        }
    }

    /** As {@link #await}, with the replicas that refused for want of space told apart. */
    Failures awaitFailures(Forwarded started) {
        List<Replica> replicas = started.replicas();
        List<Future<StorageReply>> pending = started.calls();
        List<Long> failed = new ArrayList<>();
        List<Long> full = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < replicas.size(); i++) {
            try {
                StorageReply reply = pending.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (reply.getCode() != ErrorCode.OK) {
                    log.warn("replica on brick {} at {} refused: {} {}", replicas.get(i).getBrickId(),
                            replicas.get(i).getAddress(), reply.getCode(), reply.getMessage());
                    failed.add(replicas.get(i).getBrickId());
                    if (reply.getCode() == ErrorCode.NO_SPACE) {
                        full.add(replicas.get(i).getBrickId());
                    }
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("replica on brick {} at {} failed: {}", replicas.get(i).getBrickId(),
                        replicas.get(i).getAddress(), e.toString());
                failed.add(replicas.get(i).getBrickId());
            }
        }
        return new Failures(failed, full);
    }

    /** The reply of a change made here and forwarded: QUORUM_NOT_MET naming the bricks that did not take it. */
    public static StorageReply done(long length, List<Long> failed) {
        StorageReply.Builder b = StorageReply.newBuilder().setLength(length).addAllFailedBricks(failed);
        if (!failed.isEmpty()) {
            b.setCode(ErrorCode.QUORUM_NOT_MET)
                    .setMessage("replicas on bricks " + failed + " did not take the write");
        }
        return b.build();
    }
}
