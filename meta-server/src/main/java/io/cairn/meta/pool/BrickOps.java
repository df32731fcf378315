package io.cairn.meta.pool;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AddBricksRequest;
import io.cairn.proto.BrickCount;
import io.cairn.proto.BrickReplicas;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.DrainBricksRequest;
import io.cairn.proto.RemoveBricksRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.VolumeRecord;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bricks joining and leaving a volume: add-brick, remove-brick start/stop (draining: repair moves
 * the replicas off, placement avoids the brick) and commit. Since replicas are placed per chunk
 * across all bricks (as in Ceph), any brick count of at least the replica count works.
 */
public final class BrickOps {
    private BrickOps() {
    }

    public static VolumeInfo add(Txn t, AddBricksRequest r) throws CairnException {
        int id = VolumeOps.existing(t, r.getName());
        VolumeRecord vol = Records.volume(t, id);
        if (r.getBricksCount() == 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "name at least one brick to add as HOST:/PATH");
        }
        Set<Long> newNodes = VolumeOps.checkBricks(t, r.getBricksList());
        boolean sameNode = "on".equals(vol.getOptionsMap().get(VolumeOptions.ALLOW_SAME_NODE));
        if (!r.getForce() && !sameNode) {
            Set<Long> used = nodesOf(t, vol.getBricksList());
            if (newNodes.size() < r.getBricksCount()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "two of the new bricks are on one node;"
                        + " replicas on one node do not survive its loss. Add 'force' to accept it");
            }
            for (long n : newNodes) {
                if (used.contains(n)) {
                    throw new CairnException(ErrorCode.INVALID_ARGUMENT, "node " + Records.node(t, n).getAddress()
                            + " holds a brick of volume " + vol.getName() + " already; add 'force' to accept a second");
                }
            }
        }
        Counters c = Records.counters(t);
        long first = c.getNextBrick();
        Records.putCounters(t, c.toBuilder().setNextBrick(first + r.getBricksCount()).build());
        VolumeRecord.Builder next = vol.toBuilder();
        for (int i = 0; i < r.getBricksCount(); i++) {
            BrickSpec spec = r.getBricks(i);
            t.put(Table.BRICKS, MetaSchema.u64(first + i), BrickRecord.newBuilder().setNodeId(spec.getNodeId())
                    .setPath(VolumeOps.normalize(spec.getPath())).setVolumeId(id).build().toByteArray());
            next.addBricks(first + i);
        }
        Records.putVolume(t, id, next.build());
        return VolumeOps.info(t, id, next.build(), null);
    }

    public static VolumeInfo drain(Txn t, DrainBricksRequest r) throws CairnException {
        int id = VolumeOps.existing(t, r.getName());
        VolumeRecord vol = Records.volume(t, id);
        checkMembers(vol, r.getBricksList());
        if (r.getDraining()) {
            Set<Long> staying = new HashSet<>(vol.getBricksList());
            for (long b : vol.getBricksList()) {
                if (Records.brick(t, b).getDraining()) {
                    staying.remove(b);
                }
            }
            staying.removeAll(r.getBricksList());
            checkEnoughLeft(t, vol, staying);
        }
        for (long b : r.getBricksList()) {
            BrickRecord rec = Records.brick(t, b);
            t.put(Table.BRICKS, MetaSchema.u64(b), rec.toBuilder().setDraining(r.getDraining()).build().toByteArray());
        }
        return VolumeOps.info(t, id, vol, null);
    }

    public static VolumeInfo remove(Txn t, RemoveBricksRequest r) throws CairnException {
        int id = VolumeOps.existing(t, r.getName());
        VolumeRecord vol = Records.volume(t, id);
        checkMembers(vol, r.getBricksList());
        Set<Long> staying = new HashSet<>(vol.getBricksList());
        staying.removeAll(r.getBricksList());
        checkEnoughLeft(t, vol, staying);
        if (!r.getForce()) {
            Map<Long, Long> left = replicaCounts(t, id, r.getBricksList());
            for (long b : r.getBricksList()) {
                if (!Records.brick(t, b).getDraining()) {
                    throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + label(t, b) + " is not being removed;"
                            + " run 'cairn volume remove-brick " + vol.getName() + " BRICK... start' first");
                }
                if (left.get(b) > 0) {
                    throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + label(t, b) + " still holds "
                            + left.get(b) + " replicas; wait until 'cairn volume remove-brick " + vol.getName()
                            + " BRICK... status' shows 0, or add 'force' to let repair copy them from the other replicas");
                }
            }
        }
        VolumeRecord.Builder next = vol.toBuilder().clearBricks();
        for (long b : vol.getBricksList()) {
            if (staying.contains(b)) {
                next.addBricks(b);
            } else {
                t.delete(Table.BRICKS, MetaSchema.u64(b));
            }
        }
        Records.putVolume(t, id, next.build());
        return VolumeOps.info(t, id, next.build(), null);
    }

    /** Replicas (chunks whose placement names the brick) on each of the volume's given bricks. */
    public static BrickReplicas replicas(ReadView v, String volume, List<Long> bricks) throws CairnException {
        int id = VolumeOps.existing(v, volume);
        checkMembers(Records.volume(v, id), bricks);
        BrickReplicas.Builder out = BrickReplicas.newBuilder();
        replicaCounts(v, id, bricks).forEach((b, n) -> out.addBricks(BrickCount.newBuilder().setBrickId(b).setReplicas(n)));
        return out.build();
    }

    private static Map<Long, Long> replicaCounts(ReadView v, int volumeId, List<Long> bricks) {
        Map<Long, Long> counts = new LinkedHashMap<>();
        bricks.forEach(b -> counts.put(b, 0L));
        io.cairn.meta.namespace.ChunkOps.forEachChunk(v, (vid, inode, index, rec) -> {
            if (vid == volumeId) {
                for (long b : rec.getPlacementList()) {
                    counts.computeIfPresent(b, (x, n) -> n + 1);
                }
            }
            return true;
        });
        return counts;
    }

    private static void checkMembers(VolumeRecord vol, List<Long> bricks) throws CairnException {
        if (bricks.isEmpty()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "name at least one brick of volume " + vol.getName());
        }
        for (long b : bricks) {
            if (!vol.getBricksList().contains(b)) {
                throw new CairnException(ErrorCode.NOT_FOUND, "brick " + b + " is not a brick of volume " + vol.getName()
                        + "; 'cairn volume info " + vol.getName() + "' lists them");
            }
        }
    }

    /** The bricks that stay must still hold size replicas on distinct nodes (or bricks, with allow-same-node). */
    private static void checkEnoughLeft(ReadView v, VolumeRecord vol, Set<Long> staying) throws CairnException {
        boolean sameNode = "on".equals(vol.getOptionsMap().get(VolumeOptions.ALLOW_SAME_NODE));
        int places = sameNode ? staying.size() : nodesOf(v, List.copyOf(staying)).size();
        if (places < vol.getSize()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "volume " + vol.getName() + " would keep bricks on "
                    + places + (sameNode ? " bricks" : " nodes") + ", replica " + vol.getSize() + " needs " + vol.getSize()
                    + "; add bricks first with 'cairn volume add-brick " + vol.getName() + " HOST:/PATH...'");
        }
    }

    private static Set<Long> nodesOf(ReadView v, List<Long> bricks) {
        Set<Long> out = new HashSet<>();
        for (long b : bricks) {
            BrickRecord rec = Records.brick(v, b);
            if (rec != null) {
                out.add(rec.getNodeId());
            }
        }
        return out;
    }

    private static String label(ReadView v, long brickId) {
        BrickRecord b = Records.brick(v, brickId);
        var node = Records.node(v, b.getNodeId());
        return (node == null ? "node " + b.getNodeId() : node.getAddress()) + ":" + b.getPath();
    }
}
