package io.cairn.client.data;

import io.cairn.client.MetaClient;
import io.cairn.common.Backoff;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Credentials;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Replica;
import io.cairn.proto.UpdatePlacementRequest;
import java.util.List;

/**
 * One chunk of a file as a reader or writer sees it: its place in the namespace and its record
 * (epoch and placement) as last heard from the meta service. Immutable; a newer view is a new ref.
 */
public record ChunkRef(int volumeId, long inode, long index, long chunkSize, ChunkInfo info) {
    public ChunkTarget target() {
        return ChunkTarget.newBuilder().setChunkId(info.getChunkId()).setEpoch(info.getEpoch())
                .setChunkSize(chunkSize).addAllPlacement(info.getPlacementList())
                .setVolumeId(volumeId).setInode(inode).setIndex(index).build();
    }

    public Replica primary() {
        return info.getPlacement(0);
    }

    public ChunkRef with(ChunkInfo newer) {
        return new ChunkRef(volumeId, inode, index, chunkSize, newer);
    }

    public ChunkRef withPlacement(long epoch, List<Replica> placement) {
        return with(info.toBuilder().setEpoch(epoch).clearPlacement().addAllPlacement(placement).build());
    }

    /**
     * The chunk's record, allocated (with a placement) on first touch. While too few storage
     * nodes are live to place it (NO_PLACEMENT: nodes restarting, or a new meta leader that has
     * not heard their heartbeats yet) it waits and asks again, up to {@code ioTimeout}, as a
     * Ceph client waits for its placement group to become active; then NO_PLACEMENT is EIO.
     * NO_SPACE (too few bricks below the fill threshold) is not waited for: ENOSPC at once.
     */
    public static ChunkRef allocate(MetaClient meta, Credentials cred, int volumeId, long inode, long index,
                                    long chunkSize, java.time.Duration ioTimeout) throws CairnException {
        return allocate(meta, cred, io.cairn.proto.AllocateChunkRequest.newBuilder().setVolumeId(volumeId)
                .setInode(inode).setIndex(index).build(), chunkSize, ioTimeout);
    }

    /**
     * As above for any request, such as one that starts the move of a file's inline bytes to
     * chunks (spill_owner set). Another client's spill is waited for; when it has not ended within
     * the I/O timeout, the request takes it over (the meta service fences that client's writes).
     */
    public static ChunkRef allocate(MetaClient meta, Credentials cred, io.cairn.proto.AllocateChunkRequest request,
                                    long chunkSize, java.time.Duration ioTimeout) throws CairnException {
        Backoff backoff = new Backoff(ioTimeout, 50, 1000);
        io.cairn.proto.AllocateChunkRequest r = request;
        while (true) {
            try {
                ChunkInfo info = meta.mutate(cred, MetaMutation.newBuilder().setAllocateChunk(r).build()).getChunk();
                return new ChunkRef(r.getVolumeId(), r.getInode(), r.getIndex(), chunkSize, info);
            } catch (CairnException e) {
                boolean late = backoff.lastTry();
                if (e.code() == ErrorCode.SPILL_IN_PROGRESS && late && !r.getTakeOverSpill()) {
                    r = r.toBuilder().setTakeOverSpill(true).build();
                    continue;
                }
                if ((e.code() != ErrorCode.NO_PLACEMENT && e.code() != ErrorCode.SPILL_IN_PROGRESS) || late) {
                    throw e;
                }
            }
            backoff.pause("waiting for a placement");
        }
    }

    /** The chunk's current record from the meta service. */
    public ChunkRef refresh(MetaClient meta, Credentials cred) throws CairnException {
        List<ChunkInfo> found = meta.query(cred, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode).setFirstIndex(index).setCount(1)).build()).getChunks().getChunksList();
        if (found.isEmpty() || found.get(0).getIndex() != index || found.get(0).getChunkId() != info.getChunkId()) {
            throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + index + " of inode " + inode
                    + " is gone (the file was truncated or deleted)");
        }
        return with(found.get(0));
    }

    /** Asks meta for the next epoch without the primary, which this client cannot reach. */
    public ChunkRef dropPrimary(MetaClient meta, Credentials cred) throws CairnException {
        UpdatePlacementRequest.Builder r = UpdatePlacementRequest.newBuilder().setVolumeId(volumeId).setInode(inode)
                .setIndex(index).setChunkId(info.getChunkId()).setExpectedEpoch(info.getEpoch());
        for (Replica rep : info.getPlacementList().subList(1, info.getPlacementCount())) {
            r.addPlacement(rep.getBrickId());
        }
        return with(meta.mutate(cred, MetaMutation.newBuilder().setUpdatePlacement(r).build()).getChunk());
    }
}
