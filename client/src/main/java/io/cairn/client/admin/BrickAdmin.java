package io.cairn.client.admin;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.AddBricksRequest;
import io.cairn.proto.BrickCount;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.BrickReplicasRequest;
import io.cairn.proto.DrainBricksRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.RemoveBricksRequest;
import io.cairn.proto.VolumeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code volume add-brick} and {@code volume remove-brick ... start|stop|status|commit}: the meta
 * service records the change, storage nodes claim new brick directories, repair drains the
 * bricks being removed.
 */
public final class BrickAdmin {
    private final MetaClient meta;
    private final StorageNodeCalls nodes;
    private final VolumeAdmin volumes;

    public BrickAdmin(MetaClient meta, StorageNodeCalls nodes) {
        this.meta = meta;
        this.nodes = nodes;
        this.volumes = new VolumeAdmin(meta, nodes);
    }

    /** Adds bricks; if a storage node cannot claim its new brick, the added bricks are taken out again. */
    public VolumeInfo add(String name, List<BrickRef> bricks, boolean force) throws CairnException {
        VolumeInfo before = volumes.get(name);
        List<NodeInfo> pool = new PoolAdmin(meta, nodes).list();
        AddBricksRequest.Builder req = AddBricksRequest.newBuilder().setName(name).setForce(force)
                .addAllBricks(VolumeAdmin.specs(pool, bricks));
        VolumeInfo vol = meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setAddBricks(req).build()).getVolume();
        Map<Long, String> uuids = new HashMap<>();
        pool.forEach(n -> uuids.put(n.getNodeId(), n.getUuid()));
        List<Long> added = new ArrayList<>();
        for (BrickInfo b : vol.getBricksList()) {
            if (before.getBricksList().stream().noneMatch(o -> o.getBrickId() == b.getBrickId())) {
                added.add(b.getBrickId());
            }
        }
        for (BrickInfo b : vol.getBricksList()) {
            if (!added.contains(b.getBrickId())) {
                continue;
            }
            try {
                nodes.prepareBrick(b.getAddress(), b.getPath(), VolumeAdmin.identity(vol, b, uuids));
            } catch (CairnException e) {
                String undo = "";
                for (BrickInfo tried : vol.getBricksList()) {
                    if (added.contains(tried.getBrickId())) {
                        try {
                            nodes.releaseBrick(tried.getAddress(), tried.getPath(), VolumeAdmin.identity(vol, tried, uuids));
                        } catch (CairnException ignored) {
                            undo = "; brick " + tried.getAddress() + ":" + tried.getPath()
                                    + " may still be marked as claimed: empty that directory by hand";
                        }
                    }
                }
                meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setRemoveBricks(RemoveBricksRequest.newBuilder()
                        .setName(name).addAllBricks(added).setForce(true)).build());
                throw new CairnException(e.code(), "no brick was added to volume " + name + ": storage node "
                        + b.getAddress() + ": " + e.getMessage() + undo, e);
            }
        }
        return vol;
    }

    /** remove-brick start (true) or stop (false). */
    public VolumeInfo drain(String name, List<BrickRef> bricks, boolean draining) throws CairnException {
        return meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setDrainBricks(DrainBricksRequest.newBuilder()
                .setName(name).addAllBricks(ids(name, bricks)).setDraining(draining)).build()).getVolume();
    }

    /** remove-brick status: the replicas each brick still holds, by brick. */
    public Map<BrickInfo, Long> remaining(String name, List<BrickRef> bricks) throws CairnException {
        VolumeInfo vol = volumes.get(name);
        List<Long> ids = ids(vol, bricks);
        Map<BrickInfo, Long> out = new LinkedHashMap<>();
        for (BrickCount c : meta.query(PoolAdmin.ROOT, MetaQuery.newBuilder().setBrickReplicas(BrickReplicasRequest
                .newBuilder().setName(name).addAllBricks(ids)).build()).getBrickReplicas().getBricksList()) {
            vol.getBricksList().stream().filter(b -> b.getBrickId() == c.getBrickId()).findFirst()
                    .ifPresent(b -> out.put(b, c.getReplicas()));
        }
        return out;
    }

    /** remove-brick commit. */
    public VolumeInfo remove(String name, List<BrickRef> bricks, boolean force) throws CairnException {
        return meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setRemoveBricks(RemoveBricksRequest.newBuilder()
                .setName(name).addAllBricks(ids(name, bricks)).setForce(force)).build()).getVolume();
    }

    private List<Long> ids(String name, List<BrickRef> bricks) throws CairnException {
        return ids(volumes.get(name), bricks);
    }

    /** The volume's bricks named HOST[:PORT]:/PATH. */
    private List<Long> ids(VolumeInfo vol, List<BrickRef> bricks) throws CairnException {
        List<NodeInfo> pool = new PoolAdmin(meta, nodes).list();
        List<Long> out = new ArrayList<>();
        for (BrickRef ref : bricks) {
            NodeInfo node = PoolAdmin.find(pool, ref.node(), ":" + ref.path());
            String path = ref.path().replaceAll("/+$", "");
            BrickInfo b = vol.getBricksList().stream()
                    .filter(x -> x.getNodeId() == node.getNodeId() && x.getPath().equals(path)).findFirst()
                    .orElseThrow(() -> new CairnException(ErrorCode.NOT_FOUND, "brick " + ref + " is not a brick of volume "
                            + vol.getName() + "; 'cairn volume info " + vol.getName() + "' lists them"));
            out.add(b.getBrickId());
        }
        return out;
    }
}
