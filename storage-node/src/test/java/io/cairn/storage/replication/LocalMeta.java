package io.cairn.storage.replication;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.StaleEpochException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chunk's record as the meta service keeps it, in memory: an epoch bumped on every placement
 * change, the placement and the min-size a change must leave. Changes are refused as meta refuses
 * them (STALE_EPOCH when the caller's epoch is not the current one, QUORUM_NOT_MET below min-size).
 */
final class LocalMeta implements ChunkPlacements {
    private final long chunkId;
    private final long chunkSize;
    private final Map<Long, Replica> bricks;
    private final int minSize;
    private long epoch = 1;
    private List<Replica> placement;

    LocalMeta(long chunkId, long chunkSize, Map<Long, Replica> bricks, List<Long> placement, int minSize) {
        this.chunkId = chunkId;
        this.chunkSize = chunkSize;
        this.bricks = bricks;
        this.placement = replicas(placement);
        this.minSize = minSize;
    }

    synchronized long epoch() {
        return epoch;
    }

    synchronized List<Long> placement() {
        return placement.stream().map(Replica::getBrickId).toList();
    }

    /** The chunk as a writer sees it now. */
    synchronized ChunkTarget target() {
        return ChunkTarget.newBuilder().setChunkId(chunkId).setEpoch(epoch).setChunkSize(chunkSize)
                .addAllPlacement(placement).setVolumeId(1).setInode(7).setIndex(0).build();
    }

    @Override
    public synchronized ChunkInfo drop(ChunkTarget chunk, List<Long> dropped) throws CairnException {
        List<Long> kept = new ArrayList<>();
        for (Replica r : chunk.getPlacementList()) {
            if (!dropped.contains(r.getBrickId())) {
                kept.add(r.getBrickId());
            }
        }
        return replace(chunk, kept);
    }

    @Override
    public synchronized ChunkInfo replace(ChunkTarget chunk, List<Long> next) throws CairnException {
        if (chunk.getEpoch() != epoch) {
            throw new StaleEpochException("chunk is at epoch " + epoch + ", the change is for " + chunk.getEpoch(), epoch);
        }
        if (next.size() < minSize) {
            throw new CairnException(ErrorCode.QUORUM_NOT_MET, next.size() + " replicas are fewer than min-size " + minSize);
        }
        epoch++;
        placement = replicas(next);
        return info();
    }

    @Override
    public synchronized ChunkInfo current(ChunkTarget chunk) {
        return info();
    }

    private ChunkInfo info() {
        return ChunkInfo.newBuilder().setChunkId(chunkId).setEpoch(epoch).addAllPlacement(placement).build();
    }

    private List<Replica> replicas(List<Long> ids) {
        return ids.stream().map(bricks::get).toList();
    }
}
