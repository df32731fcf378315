package io.cairn.client.admin;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.DeleteVolumeRequest;
import io.cairn.proto.GetVolumeRequest;
import io.cairn.proto.ListVolumesRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.SetVolumeOptionRequest;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import io.cairn.proto.state.BrickIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Volume administration: create (the meta service records the volume, then every storage node
 * claims its brick), start, stop, delete, options. A create that fails on any brick is undone:
 * the bricks already claimed are given back and the volume is deleted, so nothing half-made
 * remains. Thread-safe if its clients are.
 */
public final class VolumeAdmin {
    private final MetaClient meta;
    private final StorageNodeCalls nodes;

    public VolumeAdmin(MetaClient meta, StorageNodeCalls nodes) {
        this.meta = meta;
        this.nodes = nodes;
    }

    /** Creates the volume in state created (start it to use it). */
    public VolumeInfo create(VolumeSpec spec) throws CairnException {
        List<NodeInfo> pool = new PoolAdmin(meta, nodes).list();
        CreateVolumeRequest.Builder req = CreateVolumeRequest.newBuilder().setName(spec.name())
                .setSize(spec.replica()).setMinSize(spec.minSize()).setChunkSize(spec.chunkSize()).setForce(spec.force());
        req.addAllBricks(specs(pool, spec.bricks()));
        VolumeInfo vol = meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setCreateVolume(req).build()).getVolume();
        Map<Long, String> uuids = new HashMap<>();
        pool.forEach(n -> uuids.put(n.getNodeId(), n.getUuid()));
        List<BrickInfo> tried = new ArrayList<>();
        for (BrickInfo b : vol.getBricksList()) {
            tried.add(b);
            try {
                nodes.prepareBrick(b.getAddress(), b.getPath(), identity(vol, b, uuids));
            } catch (CairnException e) {
                throw undo(vol, tried, uuids, new CairnException(e.code(), "volume " + vol.getName()
                        + " was not created: storage node " + b.getAddress() + ": " + e.getMessage(), e));
            }
        }
        return vol;
    }

    /** The bricks as the meta service names them: node id and path; a brick on no pool node is an error naming it. */
    static List<BrickSpec> specs(List<NodeInfo> pool, List<BrickRef> bricks) throws CairnException {
        List<BrickSpec> out = new ArrayList<>();
        for (BrickRef b : bricks) {
            NodeInfo node;
            try {
                node = PoolAdmin.find(pool, b.node(), ":" + b.path());
            } catch (CairnException e) {
                throw new CairnException(e.code(), "brick " + b + ": " + e.getMessage(), e);
            }
            out.add(BrickSpec.newBuilder().setNodeId(node.getNodeId()).setPath(b.path()).build());
        }
        return out;
    }

    static BrickIdentity identity(VolumeInfo vol, BrickInfo b, Map<Long, String> nodeUuids) {
        return BrickIdentity.newBuilder().setVolumeUuid(vol.getUuid()).setBrickId(b.getBrickId())
                .setNodeUuid(nodeUuids.getOrDefault(b.getNodeId(), "")).build();
    }

    /**
     * Gives back every brick a failed create tried (a node may have claimed one without its
     * answer arriving) and deletes the volume. What cannot be undone is named in the error.
     */
    private CairnException undo(VolumeInfo vol, List<BrickInfo> tried, Map<Long, String> uuids, CairnException cause) {
        StringBuilder left = new StringBuilder();
        for (BrickInfo b : tried) {
            try {
                nodes.releaseBrick(b.getAddress(), b.getPath(), identity(vol, b, uuids));
            } catch (CairnException e) {
                left.append("; brick ").append(b.getAddress()).append(':').append(b.getPath())
                        .append(" is still marked as a brick of the deleted volume (").append(e.getMessage())
                        .append("): empty that directory by hand");
            }
        }
        try {
            deleteRecord(vol.getName());
        } catch (CairnException e) {
            left.append("; the volume is left in state created (").append(e.getMessage())
                    .append("): delete it with 'cairn volume delete ").append(vol.getName()).append('\'');
        }
        if (left.isEmpty()) {
            return cause;
        }
        return new CairnException(cause.code(), cause.getMessage() + left, cause);
    }

    public VolumeInfo start(String name) throws CairnException {
        return setState(name, VolumeState.VOLUME_STARTED);
    }

    public VolumeInfo stop(String name) throws CairnException {
        return setState(name, VolumeState.VOLUME_STOPPED);
    }

    private VolumeInfo setState(String name, VolumeState state) throws CairnException {
        return meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setSetVolumeState(
                SetVolumeStateRequest.newBuilder().setName(name).setState(state)).build()).getVolume();
    }

    /**
     * Deletes a volume that is not started (its bricks and namespace), then has the storage
     * nodes give back the bricks that hold no data, so their directories can be used again.
     * Returns a note for each brick that was not given back (it holds data, or its node did not
     * answer).
     */
    public List<String> delete(String name) throws CairnException {
        VolumeInfo vol = get(name);
        Map<Long, String> uuids = new HashMap<>();
        new PoolAdmin(meta, nodes).list().forEach(n -> uuids.put(n.getNodeId(), n.getUuid()));
        deleteRecord(name);
        List<String> kept = new ArrayList<>();
        for (BrickInfo b : vol.getBricksList()) {
            try {
                nodes.releaseBrick(b.getAddress(), b.getPath(), identity(vol, b, uuids));
            } catch (CairnException e) {
                kept.add("brick " + b.getAddress() + ":" + b.getPath() + " was not given back (" + e.getMessage()
                        + "); empty that directory before naming it in another volume");
            }
        }
        return kept;
    }

    private void deleteRecord(String name) throws CairnException {
        meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setDeleteVolume(
                DeleteVolumeRequest.newBuilder().setName(name)).build());
    }

    public VolumeInfo get(String name) throws CairnException {
        return meta.query(PoolAdmin.ROOT, MetaQuery.newBuilder().setGetVolume(
                GetVolumeRequest.newBuilder().setName(name)).build()).getVolume();
    }

    /** The meta leader's repair view of the volume: the heal queue and what repair has done. */
    public io.cairn.proto.HealInfo healInfo(String name) throws CairnException {
        return meta.query(PoolAdmin.ROOT, MetaQuery.newBuilder().setHealInfo(
                io.cairn.proto.HealInfoRequest.newBuilder().setVolume(name)).build()).getHealInfo();
    }

    public List<VolumeInfo> list() throws CairnException {
        return meta.query(PoolAdmin.ROOT, MetaQuery.newBuilder().setListVolumes(ListVolumesRequest.getDefaultInstance())
                .build()).getVolumes().getVolumesList();
    }

    /** Sets a volume option, or min-size; the meta service checks the key and value. */
    public VolumeInfo set(String name, String key, String value) throws CairnException {
        return meta.mutate(PoolAdmin.ROOT, MetaMutation.newBuilder().setSetVolumeOption(
                SetVolumeOptionRequest.newBuilder().setName(name).setKey(key).setValue(value)).build()).getVolume();
    }

    /** Every setting {@code volume set} takes, with its value: min-size and the options. */
    public static Map<String, String> settings(VolumeInfo vol) {
        Map<String, String> out = new java.util.TreeMap<>(vol.getOptionsMap());
        out.put("min-size", Integer.toString(vol.getMinSize()));
        return out;
    }

    /** The setting's value; an unknown key names the valid ones. */
    public static String setting(VolumeInfo vol, String key) throws CairnException {
        Map<String, String> all = settings(vol);
        String v = all.get(key);
        if (v == null) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "unknown volume option '" + key
                    + "'; valid options: " + String.join(", ", all.keySet()));
        }
        return v;
    }
}
