package io.cairn.meta.rpc;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.pool.BrickFill;
import io.cairn.meta.pool.Liveness;
import io.cairn.meta.pool.Placement;
import io.cairn.meta.pool.VolumeOptions;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.NodeState;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.NodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the leader decides before proposing, so that applying the log is deterministic: the
 * placement of a new chunk, the uuid of a new volume. Client-supplied values for these fields
 * are replaced.
 */
public final class LeaderPrep {
    private final Supplier<ReadView> committed;
    private final Liveness liveness;
    private final Random random;

    public LeaderPrep(Supplier<ReadView> committed, Liveness liveness, Random random) {
        this.committed = committed;
        this.liveness = liveness;
        this.random = random;
    }

    public MetaMutation prepare(MetaMutation m) throws CairnException {
        return switch (m.getOpCase()) {
            case ALLOCATE_CHUNK -> MetaMutation.newBuilder().setAllocateChunk(place(m.getAllocateChunk())).build();
            case CREATE -> MetaMutation.newBuilder().setCreate(placeFirstChunk(m.getCreate())).build();
            case BATCH -> MetaMutation.newBuilder().setBatch(prepareBatch(m.getBatch())).build();
            case CREATE_VOLUME -> MetaMutation.newBuilder().setCreateVolume(
                    m.getCreateVolume().toBuilder().setUuid(UUID.randomUUID().toString())).build();
            default -> m;
        };
    }

    private io.cairn.proto.BatchRequest prepareBatch(io.cairn.proto.BatchRequest r) throws CairnException {
        io.cairn.meta.BatchOps.check(r);
        io.cairn.proto.BatchRequest.Builder b = r.toBuilder();
        for (int i = 0; i < r.getOpsCount(); i++) {
            b.setOps(i, r.getOps(i).toBuilder().setMutation(prepare(r.getOps(i).getMutation())));
        }
        return b.build();
    }

    /**
     * A placement for chunk 0 of a regular file being created, when asked for and possible; a
     * create never fails for want of a placement (the first write asks again and waits).
     */
    private io.cairn.proto.CreateRequest placeFirstChunk(io.cairn.proto.CreateRequest r) {
        io.cairn.proto.CreateRequest.Builder b = r.toBuilder().clearFirstChunkPlacement();
        int type = r.getMode() & 0170000;
        if (!r.getWithFirstChunk() || (type != 0 && type != 0100000)) {
            return b.build();
        }
        try {
            AllocateChunkRequest placed = place(AllocateChunkRequest.newBuilder().setVolumeId(r.getVolumeId()).build());
            return b.addAllFirstChunkPlacement(placed.getPlacementList()).build();
        } catch (CairnException e) {
            return b.build();
        }
    }

    private AllocateChunkRequest place(AllocateChunkRequest r) throws CairnException {
        AllocateChunkRequest.Builder b = r.toBuilder().clearPlacement();
        ReadView committed = this.committed.get();
        VolumeRecord vol = Records.volume(committed, r.getVolumeId());
        if (vol == null || Records.chunk(committed, r.getInode(), r.getIndex()) != null) {
            return b.build();  // apply answers: unknown volume, or the existing chunk
        }
        List<Placement.Candidate> candidates = new ArrayList<>();
        for (long brickId : vol.getBricksList()) {
            BrickRecord brick = Records.brick(committed, brickId);
            if (brick == null) {
                throw new CairnException(ErrorCode.INTERNAL, "volume " + vol.getName() + " names missing brick " + brickId);
            }
            if (brick.getDraining()) {
                continue;  // being removed: new chunks go elsewhere
            }
            NodeRecord node = Records.node(committed, brick.getNodeId());
            boolean live = node != null && node.getState() != NodeState.NODE_OUT && liveness.isLive(brick.getNodeId());
            long free = liveness.usage(brick.getNodeId(), brick.getPath()).map(u -> u.getFreeBytes()).orElse(0L);
            boolean full = liveness.fill(brick.getNodeId(), brick.getPath()) == BrickFill.Level.FULL;
            candidates.add(new Placement.Candidate(brickId, brick.getNodeId(), live, free, full));
        }
        boolean sameNode = "on".equals(vol.getOptionsMap().get(VolumeOptions.ALLOW_SAME_NODE));
        synchronized (random) {
            b.addAllPlacement(Placement.choose(vol.getName(), candidates, vol.getSize(), vol.getMinSize(), sameNode, random));
        }
        return b.build();
    }
}
