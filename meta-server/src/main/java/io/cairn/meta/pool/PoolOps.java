package io.cairn.meta.pool;

import io.cairn.common.Addresses;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import io.cairn.proto.RemoveNodeRequest;
import io.cairn.proto.SetNodeStateRequest;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.NodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The pool: storage nodes known to the meta service. */
public final class PoolOps {
    private PoolOps() {
    }

    /** Adds a node, or returns it if its uuid is known (a repeated probe); a moved node gets its new address. */
    public static NodeInfo addNode(Txn t, AddNodeRequest r) throws CairnException {
        if (r.getUuid().isEmpty() || r.getUuid().length() > 64) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid node uuid '" + r.getUuid() + "'");
        }
        Addresses.check(r.getAddress());
        long[] sameUuid = {0};
        long[] sameAddress = {0};
        forEachNode(t, (id, n) -> {
            if (n.getUuid().equals(r.getUuid())) {
                sameUuid[0] = id;
            } else if (n.getAddress().equals(r.getAddress())) {
                sameAddress[0] = id;
            }
        });
        if (sameAddress[0] != 0) {
            throw new CairnException(ErrorCode.ALREADY_EXISTS, "address " + r.getAddress()
                    + " belongs to node " + sameAddress[0] + " already; detach it first with 'cairn peer detach'");
        }
        long id = sameUuid[0];
        if (id == 0) {
            Counters c = Records.counters(t);
            id = c.getNextNode();
            Records.putCounters(t, c.toBuilder().setNextNode(id + 1).build());
        }
        NodeRecord old = Records.node(t, id);
        NodeRecord rec = NodeRecord.newBuilder()
                .setUuid(r.getUuid())
                .setAddress(r.getAddress())
                .setState(old == null ? NodeState.NODE_UP : old.getState())
                .build();
        t.put(Table.NODES, MetaSchema.u64(id), rec.toByteArray());
        return info(id, rec, null);
    }

    public static void removeNode(Txn t, RemoveNodeRequest r) throws CairnException {
        NodeRecord node = Records.node(t, r.getNodeId());
        if (node == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "node " + r.getNodeId() + " is not in the pool");
        }
        TreeSet<String> volumes = new TreeSet<>();
        t.scan(Table.BRICKS, new byte[0], null, (k, v) -> {
            BrickRecord b = Records.parse(v, BrickRecord.parser());
            if (b.getNodeId() == r.getNodeId()) {
                VolumeRecord vol = Records.volume(t, b.getVolumeId());
                volumes.add(vol == null ? "?" : vol.getName());
            }
            return true;
        });
        if (!volumes.isEmpty()) {
            throw new CairnException(ErrorCode.BUSY, "node " + node.getAddress() + " holds bricks of volume(s) "
                    + String.join(", ", volumes) + "; remove those bricks or delete the volumes first");
        }
        t.delete(Table.NODES, MetaSchema.u64(r.getNodeId()));
    }

    public static NodeInfo setNodeState(Txn t, SetNodeStateRequest r) throws CairnException {
        NodeRecord node = Records.node(t, r.getNodeId());
        if (node == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "node " + r.getNodeId() + " is not in the pool");
        }
        if (r.getState() == NodeState.NODE_STATE_UNSPECIFIED || r.getState() == NodeState.UNRECOGNIZED) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "invalid node state " + r.getState());
        }
        NodeRecord rec = node.toBuilder().setState(r.getState()).build();
        t.put(Table.NODES, MetaSchema.u64(r.getNodeId()), rec.toByteArray());
        return info(r.getNodeId(), rec, null);
    }

    public static List<NodeInfo> listNodes(ReadView v, Liveness liveness) {
        List<NodeInfo> out = new ArrayList<>();
        forEachNode(v, (id, n) -> out.add(info(id, n, liveness)));
        return out;
    }

    /** The node with this uuid, or 0. */
    public static long nodeIdOf(ReadView v, String uuid) {
        long[] found = {0};
        forEachNode(v, (id, n) -> {
            if (n.getUuid().equals(uuid)) {
                found[0] = id;
            }
        });
        return found[0];
    }

    public static NodeInfo info(long id, NodeRecord n, Liveness liveness) {
        NodeInfo.Builder b = NodeInfo.newBuilder()
                .setNodeId(id).setUuid(n.getUuid()).setAddress(n.getAddress()).setState(n.getState());
        if (liveness != null) {
            b.setLastHeartbeatMs(liveness.lastHeartbeatMs(id));
        }
        return b.build();
    }

    interface NodeVisitor {
        void visit(long id, NodeRecord node);
    }

    static void forEachNode(ReadView v, NodeVisitor visitor) {
        v.scan(Table.NODES, new byte[0], null, (k, val) -> {
            visitor.visit(MetaSchema.readU64(k, 0), Records.parse(val, NodeRecord.parser()));
            return true;
        });
    }
}
