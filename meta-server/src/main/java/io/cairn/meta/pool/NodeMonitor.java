package io.cairn.meta.pool;

import io.cairn.meta.store.ReadView;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import io.cairn.proto.SetNodeStateRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, turns heartbeat silence into logged node states: up, down after
 * node-down-timeout, out after node-out-timeout. Silence is counted from the later of the last
 * heartbeat and the moment this server became leader, so a new leader gives every node a full
 * timeout before judging it.
 */
public final class NodeMonitor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(NodeMonitor.class);

    private final String id;
    private final BooleanSupplier isLeader;
    private final Supplier<ReadView> committed;
    private final NodeLiveness liveness;
    private final Consumer<MetaMutation> propose;
    private final Clock clock;
    private final Duration down;
    private final Duration out;
    private volatile long leaderSinceMs;

    public NodeMonitor(String id, BooleanSupplier isLeader, Supplier<ReadView> committed, NodeLiveness liveness,
                       Consumer<MetaMutation> propose, Clock clock, Duration down, Duration out) {
        this.id = id;
        this.isLeader = isLeader;
        this.committed = committed;
        this.liveness = liveness;
        this.propose = propose;
        this.clock = clock;
        this.down = down;
        this.out = out;
        this.leaderSinceMs = clock.millis();
    }

    public void leaderChanged() {
        leaderSinceMs = clock.millis();
        liveness.reset();
    }

    @Override
    public void run() {
        try {
            if (!isLeader.getAsBoolean()) {
                return;
            }
            long now = clock.millis();
            for (NodeInfo n : PoolOps.listNodes(committed.get(), liveness)) {
                NodeState next = judge(n, now);
                if (next != n.getState()) {
                    log.info("{} node {} ({}) is now {}", id, n.getNodeId(), n.getAddress(), next);
                    propose.accept(MetaMutation.newBuilder().setSetNodeState(
                            SetNodeStateRequest.newBuilder().setNodeId(n.getNodeId()).setState(next)).build());
                }
            }
        } catch (RuntimeException e) {
            log.warn("{} node monitor round failed", id, e);
        }
    }

    NodeState judge(NodeInfo n, long now) {
        if (liveness.isLive(n.getNodeId())) {
            return NodeState.NODE_UP;
        }
        long silentMs = now - Math.max(n.getLastHeartbeatMs(), leaderSinceMs);
        if (silentMs > out.toMillis()) {
            return NodeState.NODE_OUT;
        }
        if (silentMs > down.toMillis() && n.getState() == NodeState.NODE_UP) {
            return NodeState.NODE_DOWN;
        }
        return n.getState();
    }
}
