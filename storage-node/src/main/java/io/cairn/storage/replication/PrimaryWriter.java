package io.cairn.storage.replication;

import io.cairn.common.BricksFullException;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.StaleEpochException;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's write to the chunk's primary: ordered with the chunk's other writes, written here
 * and forwarded to the other replicas of the epoch in parallel, answered when every replica has
 * it. Replicas that fail are dropped from the placement at the next epoch while at least
 * min-size remain (the reply names them and the new epoch and placement).
 *
 * <p>Threading: any number of writes run at once; those of one chunk are ordered under its lock
 * ({@link ChunkLocks}) and numbered as pieces of the chunk's stream ({@link ChunkStreams}), and
 * several are in flight to the replicas at once (pipelining).
 *
 * <p>Errors: STALE_EPOCH (a {@link StaleEpochException} with the replica's or meta's epoch) for a
 * writer at another epoch; NO_SPACE (a {@link BricksFullException} naming the full bricks) when
 * this brick is full, or replicas are full and too few others would remain; QUORUM_NOT_MET when
 * failed replicas cannot be dropped; the store's errors (IO_ERROR, CHECKSUM_MISMATCH) otherwise.
 */
public final class PrimaryWriter {
    private final BrickStores stores;
    private final ChunkLocks locks;
    private final ChunkStreams streams;
    private final Replicator replicator;
    private final EpochChanges epochs;

    public PrimaryWriter(BrickStores stores, ChunkLocks locks, ChunkStreams streams, Replicator replicator,
                         ChunkPlacements placements) {
        this.stores = stores;
        this.locks = locks;
        this.streams = streams;
        this.replicator = replicator;
        this.epochs = new EpochChanges(placements, replicator);
    }

    /**
     * Writes {@code r} as the primary of its chunk. The request's shape (sizes and ranges inside
     * the chunk) is the caller's to check; that {@code r}'s brick is the primary is checked here.
     */
    public StorageReply write(WriteRequest r) throws CairnException {
        ChunkTarget t = r.getTarget();
        if (t.getPlacementCount() == 0 || t.getPlacement(0).getBrickId() != r.getBrickId()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + r.getBrickId()
                    + " is not the primary of chunk " + Long.toHexString(t.getChunkId()) + "; send writes to the first replica");
        }
        ChunkStore store = stores.store(r.getBrickId());
        long chunk = t.getChunkId();
        Object lock = locks.of(chunk);
        ChunkStreams.Primary stream;
        Replicator.Forwarded forwards;
        ReplicaInfo after = null;
        CairnException local = null;
        // Under the chunk's lock only what fixes the order: the piece's number, the start of
        // the forwards and the local write. The wait for the replicas is outside it, so the
        // next piece is forwarded while this one is still on its way (pipelining).
        synchronized (lock) {
            streams.awaitOpen(lock, chunk, t.getEpoch());
            epochs.catchUp(store, t, r.getBrickId());
            stream = streams.join(chunk, t.getEpoch(), () -> ReplicaApplier.lengthOrCreate(store, t, r.getExpectedLength() == 0));
            long seq = stream.nextSeq++;
            long expected = stream.projected;
            long id = stream.id;
            stream.inflight++;
            // What the primary refuses (stale epoch, bad range or checksum) the replicas refuse
            // the same way; if the primary's disk fails instead, the writer's retry finds the
            // replicas ahead, which they accept (no gap).
            try {
                forwards = replicator.start(ChunkTargets.others(t), rep -> replicator.peers().replicate(rep, r.toBuilder()
                        .setBrickId(rep.getBrickId()).setExpectedLength(expected).setStream(id).setSeq(seq).build()));
            } catch (RuntimeException e) {
                streams.finished(lock, chunk, stream);
                throw e;
            }
            try {
                after = WriteRanges.write(store, t, WriteRanges.of(r));
                if (r.getSync()) {
                    store.sync(chunk);
                }
                stream.projected = after.length();
            } catch (CairnException e) {
                local = e.code() == ErrorCode.NO_SPACE && !(e instanceof BricksFullException)
                        ? new BricksFullException(e.getMessage(), List.of(r.getBrickId()), e) : e;
            }
        }
        Replicator.Failures failures = replicator.awaitFailures(forwards);
        List<Long> failed = failures.bricks();
        synchronized (lock) {
            streams.finished(lock, chunk, stream);
            if (local != null) {
                throw local;
            }
            if (failed.isEmpty()) {
                return Replicator.done(after.length(), failed);
            }
            long now = store.info(chunk).map(ReplicaInfo::epoch).orElse(0L);
            if (now != t.getEpoch()) {
                // Another piece changed the placement meanwhile: this one goes again, at the new epoch.
                throw new StaleEpochException("chunk " + Long.toHexString(chunk) + " moved to epoch " + now
                        + " while this write was in flight; send it again", now);
            }
            try {
                return epochs.dropFailed(store, t, failed, after.length());
            } catch (CairnException e) {
                throw failures.allFull() && e.code() == ErrorCode.QUORUM_NOT_MET ? noSpace(t, failures, e) : e;
            }
        }
    }

    /**
     * Replicas refused a write for want of space and dropping them would leave fewer than
     * min-size: the writer gets ENOSPC at once, not a quorum error it would wait out.
     */
    private static CairnException noSpace(ChunkTarget t, Replicator.Failures failures, CairnException cause) {
        List<String> full = new ArrayList<>();
        for (Replica rep : t.getPlacementList()) {
            if (failures.full().contains(rep.getBrickId())) {
                full.add(rep.getAddress() + " brick " + rep.getBrickId());
            }
        }
        return new BricksFullException("chunk " + Long.toHexString(t.getChunkId()) + " cannot take the write:"
                + " the replicas on " + full + " are full and too few others remain (" + cause.getMessage()
                + "); free space on those bricks or add bricks with `cairn volume add-brick`", failures.full(), cause);
    }
}
