package io.cairn.storage.replication;

import io.cairn.proto.ChunkTarget;
import io.cairn.proto.Replica;
import java.util.List;

/** What a chunk target says of its replicas: which is the primary, which are the others. */
public final class ChunkTargets {
    private ChunkTargets() {
    }

    /** Whether {@code brickId} is the target's primary (the first of its placement). */
    public static boolean isPrimary(ChunkTarget t, long brickId) {
        return t.getPlacementCount() > 0 && t.getPlacement(0).getBrickId() == brickId;
    }

    /** The target's replicas other than the primary. */
    public static List<Replica> others(ChunkTarget t) {
        return t.getPlacementList().subList(Math.min(1, t.getPlacementCount()), t.getPlacementCount());
    }
}
