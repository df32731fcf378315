package io.cairn.meta.repair;

import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.ForgetGarbageRequest;
import io.cairn.proto.GarbageDone;
import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.state.GarbageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The garbage table: chunks whose file was deleted or truncated, with the bricks that still hold
 * a replica. The leader hands each storage node the deletes for its bricks in heartbeat replies;
 * the node confirms in its next heartbeat and the brick leaves the record, the record goes once
 * no brick is left. Chunk ids are never reused, so these deletes need no epoch bound.
 */
public final class GarbageOps {
    private GarbageOps() {
    }

    /** Applies confirmations; unknown chunks or bricks are ignored (a confirmation may repeat). */
    public static void forget(Txn t, ForgetGarbageRequest r) {
        for (GarbageDone d : r.getDoneList()) {
            byte[] key = MetaSchema.u64(d.getChunkId());
            byte[] raw = t.get(Table.GARBAGE, key);
            if (raw == null) {
                continue;
            }
            GarbageRecord g = Records.parse(raw, GarbageRecord.parser());
            List<Long> left = new ArrayList<>(g.getPlacementList());
            left.remove(d.getBrickId());
            if (left.isEmpty()) {
                t.delete(Table.GARBAGE, key);
            } else if (left.size() != g.getPlacementCount()) {
                t.put(Table.GARBAGE, key, g.toBuilder().clearPlacement().addAllPlacement(left).build().toByteArray());
            }
        }
    }

    /** Up to {@code max} replica deletes for the given bricks, oldest chunks first. */
    public static List<ReplicaDelete> pendingFor(ReadView v, Set<Long> bricks, int max) {
        List<ReplicaDelete> out = new ArrayList<>();
        if (bricks.isEmpty()) {
            return out;
        }
        v.scan(Table.GARBAGE, new byte[0], null, (k, val) -> {
            GarbageRecord g = Records.parse(val, GarbageRecord.parser());
            for (long b : g.getPlacementList()) {
                if (bricks.contains(b)) {
                    out.add(ReplicaDelete.newBuilder().setBrickId(b).setChunkId(g.getChunkId())
                            .setMaxEpoch(Long.MAX_VALUE).build());
                }
            }
            return out.size() < max;
        });
        return out;
    }
}
