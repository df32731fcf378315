package io.cairn.meta.repair;

import io.cairn.meta.pool.Liveness;
import io.cairn.meta.repair.ChunkHealth.BrickState;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.NodeState;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.NodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Bricks, nodes and volumes of the committed state with the leader's liveness, read once per scan. */
record PoolSnapshot(Map<Long, BrickState> bricks, Map<Long, BrickRecord> brickRecords, Map<Long, NodeRecord> nodes,
                    Map<Integer, VolumeRecord> volumes, Map<Long, Long> freeBytes, Set<Long> fullBricks) {

    static PoolSnapshot read(ReadView v, Liveness liveness) {
        Map<Long, NodeRecord> nodes = new HashMap<>();
        v.scan(Table.NODES, new byte[0], null, (k, val) -> {
            nodes.put(MetaSchema.readU64(k, 0), Records.parse(val, NodeRecord.parser()));
            return true;
        });
        Map<Long, BrickState> bricks = new HashMap<>();
        Map<Long, BrickRecord> records = new HashMap<>();
        Map<Long, Long> free = new HashMap<>();
        Set<Long> full = new HashSet<>();
        v.scan(Table.BRICKS, new byte[0], null, (k, val) -> {
            long id = MetaSchema.readU64(k, 0);
            BrickRecord b = Records.parse(val, BrickRecord.parser());
            NodeRecord n = nodes.get(b.getNodeId());
            boolean live = n != null && liveness.isLive(b.getNodeId()) && n.getState() != NodeState.NODE_OUT;
            boolean out = n == null || n.getState() == NodeState.NODE_OUT && !live;
            bricks.put(id, new BrickState(id, b.getNodeId(), live, out, b.getDraining()));
            records.put(id, b);
            free.put(id, liveness.usage(b.getNodeId(), b.getPath()).map(u -> u.getFreeBytes()).orElse(0L));
            if (liveness.fill(b.getNodeId(), b.getPath()) == io.cairn.meta.pool.BrickFill.Level.FULL) {
                full.add(id);
            }
            return true;
        });
        Map<Integer, VolumeRecord> volumes = new HashMap<>();
        v.scan(Table.VOLUMES, new byte[0], null, (k, val) -> {
            volumes.put(MetaSchema.readU32(k, 0), Records.parse(val, VolumeRecord.parser()));
            return true;
        });
        return new PoolSnapshot(bricks, records, nodes, volumes, free, full);
    }

    /** The bricks of a node, from the bricks table alone (each heartbeat asks). */
    static Set<Long> bricksOf(ReadView v, long nodeId) {
        Set<Long> out = new HashSet<>();
        v.scan(Table.BRICKS, new byte[0], null, (k, val) -> {
            if (Records.parse(val, BrickRecord.parser()).getNodeId() == nodeId) {
                out.add(MetaSchema.readU64(k, 0));
            }
            return true;
        });
        return out;
    }

    /** host:/path of a brick, as admins name it. */
    String label(long brickId) {
        BrickRecord b = brickRecords.get(brickId);
        if (b == null) {
            return "brick " + brickId;
        }
        NodeRecord n = nodes.get(b.getNodeId());
        return (n == null ? "node " + b.getNodeId() : n.getAddress()) + ":" + b.getPath();
    }
}
