package io.cairn.storage.replication;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.StorageReply;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import java.util.List;
import java.util.Optional;

/**
 * What a replica does with the calls a chunk's primary forwards: pieces of a write, applied in
 * the order of their stream unless that would leave this replica with bytes it never received;
 * the first piece of a repair copy, which replaces whatever this brick held of the chunk; and
 * epoch changes.
 *
 * <p>Threading: any number of calls run at once. A piece waits for its turn in its stream
 * ({@link ChunkStreams#awaitTurn}) before it takes the chunk's lock, and is applied holding it.
 *
 * <p>Errors: as the store's (STALE_EPOCH with this replica's epoch when the primary is at another
 * one, CHECKSUM_MISMATCH, NO_SPACE, IO_ERROR); IO_ERROR when a piece would leave a gap or its
 * predecessor never came (the primary then drops this replica); NOT_FOUND when a piece of a chunk
 * with data elsewhere finds no replica here.
 */
public final class ReplicaApplier {
    private final BrickStores stores;
    private final ChunkLocks locks;
    private final ChunkStreams streams;

    public ReplicaApplier(BrickStores stores, ChunkLocks locks, ChunkStreams streams) {
        this.stores = stores;
        this.locks = locks;
        this.streams = streams;
    }

    /**
     * A forwarded piece (the {@code replicate} call): applied in its stream's order; a piece
     * refused still passes the turn on, so the stream's later pieces are not held up by it.
     * The request's shape is the caller's to check.
     */
    public StorageReply apply(WriteRequest r) throws CairnException {
        ChunkTarget t = r.getTarget();
        ChunkStore store = stores.store(r.getBrickId());
        Object lock = locks.of(t.getChunkId());
        streams.awaitTurn(t.getChunkId(), r.getStream(), r.getSeq());
        synchronized (lock) {
            try {
                return applyReplicated(store, t, r);
            } finally {
                streams.applied(t.getChunkId(), r.getStream(), r.getSeq());
            }
        }
    }

    /** Moves this brick's replica to the target's epoch (never back: STALE_EPOCH). */
    public StorageReply setEpoch(ChunkRequest r) throws CairnException {
        ChunkTarget t = r.getTarget();
        ChunkStore store = stores.store(r.getBrickId());
        synchronized (locks.of(t.getChunkId())) {
            return Replicator.done(store.setEpoch(t.getChunkId(), t.getEpoch()).length(), List.of());
        }
    }

    /** A forwarded write on this replica, in the stream's order; the caller holds the chunk's lock. */
    private static StorageReply applyReplicated(ChunkStore store, ChunkTarget t, WriteRequest r) throws CairnException {
        if (r.getFresh()) {
            startCopy(store, t, r);
        }
        long held = lengthOrCreate(store, t, r.getExpectedLength() == 0);
        // Same state as the primary: take it, even if it opens a gap (the primary has the same
        // gap). Otherwise take it only if it opens no gap here: after a primary failed, a writer
        // re-sends its unacknowledged pieces in order and they fill in what this replica lacks.
        // Acknowledged writes are on every replica of the epoch, and the epoch fences any
        // replica that missed one.
        List<WriteRanges.Range> ranges = WriteRanges.of(r);
        if (held != r.getExpectedLength()) {
            for (WriteRanges.Range range : ranges) {
                if (range.offset() > held) {
                    throw new CairnException(ErrorCode.IO_ERROR, "replica of chunk " + Long.toHexString(t.getChunkId())
                            + " on brick " + r.getBrickId() + " holds " + held + " bytes, the primary held "
                            + r.getExpectedLength() + ": a write at " + range.offset() + " would leave a gap; it needs repair");
                }
                held = Math.max(held, range.offset() + range.data().size());
            }
        }
        ReplicaInfo after = WriteRanges.write(store, t, ranges);
        if (r.getSync()) {
            store.sync(t.getChunkId());
        }
        return Replicator.done(after.length(), List.of());
    }

    /** First piece of a repair copy: whatever this brick held of the chunk gives way to a new replica. */
    private static void startCopy(ChunkStore store, ChunkTarget t, WriteRequest r) throws CairnException {
        if (r.getOffset() != 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a repair copy starts at offset 0, not " + r.getOffset());
        }
        store.delete(t.getChunkId());
        store.create(t.getChunkId(), t.getEpoch(), t.getChunkSize(), t.getInode(), t.getIndex());
    }

    /** The replica's length; a missing replica is created when the write starts a new chunk. */
    static long lengthOrCreate(ChunkStore store, ChunkTarget t, boolean mayCreate) throws CairnException {
        Optional<ReplicaInfo> info = store.info(t.getChunkId());
        if (info.isPresent()) {
            return info.get().length();
        }
        if (!mayCreate) {
            throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + Long.toHexString(t.getChunkId())
                    + " has no replica on this brick although it holds data elsewhere: it needs repair");
        }
        store.create(t.getChunkId(), t.getEpoch(), t.getChunkSize(), t.getInode(), t.getIndex());
        return 0;
    }
}
