package io.cairn.meta.pool;

import io.cairn.proto.BrickUsage;
import java.util.Optional;

/**
 * The leader's soft view of storage nodes, fed by heartbeats and never written to the Raft log.
 * Implementations are thread-safe.
 */
public interface Liveness {
    /** Whether the node has heartbeated within node-down-timeout. */
    boolean isLive(long nodeId);

    /** Capacity and free space of a brick from the node's last heartbeat. */
    Optional<BrickUsage> usage(long nodeId, String brickPath);

    /**
     * How full the brick is by the node's last heartbeat, against the fill thresholds; OK when
     * its space is not known yet.
     */
    BrickFill.Level fill(long nodeId, String brickPath);

    /** The fill thresholds this view judges by. */
    BrickFill thresholds();

    /** Milliseconds since epoch of the node's last heartbeat, or 0. */
    long lastHeartbeatMs(long nodeId);
}
