package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.SparseFiles;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.DataRangesReply;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.TruncateRequest;
import io.cairn.proto.ZeroRequest;
import io.cairn.storage.chunk.FileChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import io.cairn.storage.replication.ChunkLocks;
import io.cairn.storage.replication.ChunkStreams;
import io.cairn.storage.replication.ChunkTargets;
import io.cairn.storage.replication.Replicator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Changes to a range of a chunk that are not writes: truncate and zero (fallocate). Each waits
 * for the chunk's earlier writes (its stream drains, so replicas change after every write that
 * came first), changes this node's replica and, on the primary, forwards to the other replicas of
 * the epoch. Also where a replica holds data, for SEEK_DATA and SEEK_HOLE.
 */
final class ChunkEdits {
    private final BrickRegistry bricks;
    private final Replicator replicator;
    private final ChunkStreams streams;
    private final ChunkLocks locks;

    ChunkEdits(BrickRegistry bricks, Replicator replicator, ChunkStreams streams, ChunkLocks locks) {
        this.bricks = bricks;
        this.replicator = replicator;
        this.streams = streams;
        this.locks = locks;
    }

    /** A change of this node's replica; none when the brick holds no replica of the chunk. */
    private interface Change {
        ReplicaInfo apply(FileChunkStore store, ReplicaInfo replica) throws CairnException;
    }

    StorageReply truncate(TruncateRequest r) throws CairnException {
        return edit(r.getTarget(), r.getBrickId(), (store, replica) -> store.truncate(replica.chunkId(), r.getTarget().getEpoch(),
                Math.min(r.getLength(), replica.length())),
                rep -> replicator.peers().truncate(rep, r.toBuilder().setBrickId(rep.getBrickId()).build()));
    }

    StorageReply zero(ZeroRequest r) throws CairnException {
        ChunkTarget t = r.getTarget();
        if (r.getLength() > t.getChunkSize() || r.getOffset() > t.getChunkSize() - r.getLength()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "zeroing " + r.getLength() + " bytes at "
                    + r.getOffset() + " is outside chunk " + Long.toHexString(t.getChunkId()) + " of size " + t.getChunkSize());
        }
        return edit(t, r.getBrickId(), (store, replica) -> store.zero(replica.chunkId(), t.getEpoch(), r.getOffset(), r.getLength()),
                rep -> replicator.peers().zero(rep, r.toBuilder().setBrickId(rep.getBrickId()).build()));
    }

    private StorageReply edit(ChunkTarget t, long brickId, Change change, Function<Replica, Future<StorageReply>> forward)
            throws CairnException {
        StorageRequests.target(t);
        FileChunkStore store = bricks.get(brickId).store();
        Object lock = locks.of(t.getChunkId());
        synchronized (lock) {
            streams.drain(lock, t.getChunkId());
            Optional<ReplicaInfo> replica = store.info(t.getChunkId());
            ReplicaInfo after = replica.isEmpty() ? null : change.apply(store, replica.get());
            List<Long> failed = ChunkTargets.isPrimary(t, brickId)
                    ? replicator.forward(ChunkTargets.others(t), forward) : List.of();
            return Replicator.done(after == null ? 0 : after.length(), failed);
        }
    }

    /** Where this node's replica holds data; the reply carries a refusal as its code. */
    DataRangesReply dataRanges(ChunkRequest r) {
        DataRangesReply.Builder reply = DataRangesReply.newBuilder();
        try {
            ChunkTarget t = r.getTarget();
            StorageRequests.target(t);
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            for (SparseFiles.Range range : store.dataRanges(t.getChunkId(), t.getEpoch())) {
                reply.addStarts(range.start()).addEnds(range.end());
            }
            reply.setReplicaLength(store.info(t.getChunkId()).map(ReplicaInfo::length).orElse(0L));
        } catch (CairnException e) {
            reply.clear().setCode(e.code().toProto()).setMessage(e.getMessage());
        }
        return reply.build();
    }
}
