package io.cairn.storage.replication;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.StaleEpochException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.StorageReply;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a primary moves a chunk to another epoch: catching up with one a writer brings, dropping
 * replicas that failed, and moving every member to an epoch meta committed. Every method is called
 * holding the chunk's lock, so no piece of the chunk is written while its epoch changes.
 */
final class EpochChanges {
    private final ChunkPlacements placements;
    private final Replicator replicator;

    EpochChanges(ChunkPlacements placements, Replicator replicator) {
        this.placements = placements;
        this.replicator = replicator;
    }

    /** A chunk moved to a new epoch, and the members that did not follow. */
    record Advanced(ChunkTarget target, List<Long> lagging) {
    }

    /**
     * A writer that replaced an unreachable primary brings the next epoch before this node's
     * replica has it. If meta confirms that epoch and that this brick now leads the chunk, the
     * primary moves itself and the other replicas to it; replicas that cannot follow refuse the
     * write that comes next and are dropped then.
     */
    void catchUp(ChunkStore store, ChunkTarget t, long brickId) throws CairnException {
        Optional<ReplicaInfo> mine = store.info(t.getChunkId());
        if (mine.isEmpty() || mine.get().epoch() >= t.getEpoch()) {
            return;
        }
        ChunkInfo current = placements.current(t);
        if (current.getEpoch() != t.getEpoch() || current.getPlacementCount() == 0
                || current.getPlacement(0).getBrickId() != brickId) {
            throw new StaleEpochException("chunk " + Long.toHexString(t.getChunkId()) + " is at epoch "
                    + current.getEpoch() + " with another placement; the writer is at epoch " + t.getEpoch(),
                    current.getEpoch());
        }
        store.setEpoch(t.getChunkId(), t.getEpoch());
        replicator.forward(ChunkTargets.others(t), rep -> replicator.peers().setEpoch(rep,
                ChunkRequest.newBuilder().setTarget(t).setBrickId(rep.getBrickId()).build()));
    }

    /**
     * Some replicas did not take a write that the primary and the others hold: continue without
     * them at the next epoch, if at least min-size replicas remain (meta decides). The dropped
     * replicas stay at the old epoch, fenced, until repair replaces or refreshes them. The reply
     * names the dropped bricks and the new epoch and placement.
     */
    StorageReply dropFailed(ChunkStore store, ChunkTarget t, List<Long> failed, long length) throws CairnException {
        List<Long> dropped = new ArrayList<>(failed);
        ChunkTarget current = t;
        for (int round = 0; round < current.getPlacementCount(); round++) {
            ChunkInfo next = placements.drop(current, dropped);
            Advanced moved = advance(store, current, next);
            if (moved.lagging().isEmpty()) {
                return StorageReply.newBuilder().setLength(length).addAllFailedBricks(dropped)
                        .setNewEpoch(next.getEpoch()).addAllNewPlacement(next.getPlacementList()).build();
            }
            dropped = new ArrayList<>(moved.lagging());
            current = moved.target();
        }
        throw new CairnException(ErrorCode.QUORUM_NOT_MET, "replicas of chunk " + Long.toHexString(t.getChunkId())
                + " kept failing while the placement changed; the write is not acknowledged");
    }

    /** Moves this replica and the other members to the epoch meta just committed. */
    Advanced advance(ChunkStore store, ChunkTarget t, ChunkInfo next) throws CairnException {
        store.setEpoch(t.getChunkId(), next.getEpoch());
        ChunkTarget nextTarget = t.toBuilder().setEpoch(next.getEpoch()).clearPlacement()
                .addAllPlacement(next.getPlacementList()).build();
        List<Long> lagging = replicator.forward(ChunkTargets.others(nextTarget), rep -> replicator.peers().setEpoch(rep,
                ChunkRequest.newBuilder().setTarget(nextTarget).setBrickId(rep.getBrickId()).build()));
        return new Advanced(nextTarget, lagging);
    }
}
