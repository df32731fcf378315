package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.BrickUsage;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.HeartbeatReply;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.ListNodesRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import io.cairn.proto.Replica;
import io.cairn.proto.VolumeInfo;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats, node states and chunk placement through the real RPCs of a 3-peer group. */
class LivenessAndPlacementIT {
    private MiniCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static HeartbeatReply beat(MetaClient c, int node, String brickPath) throws CairnException {
        // The test speaks the storage node's side of the protocol.
        return c.heartbeat(HeartbeatRequest.newBuilder().setUuid("node-" + node).setAddress("127.0.0.1:" + (7100 + node))
                .addBricks(BrickUsage.newBuilder().setPath(brickPath).setCapacityBytes(100L << 30)
                        .setFreeBytes((10L * node) << 30)).build());
    }

    private static ChunkInfo allocate(MetaClient c, int vol, long inode, long index) throws CairnException {
        return c.mutate(Ops.ROOT, MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest.newBuilder()
                .setVolumeId(vol).setInode(inode).setIndex(index)).build()).getChunk();
    }

    private static NodeState stateOf(MetaClient c, int node) throws CairnException {
        List<NodeInfo> nodes = c.query(Ops.ROOT, MetaQuery.newBuilder()
                .setListNodes(ListNodesRequest.getDefaultInstance()).build()).getNodes().getNodesList();
        return nodes.stream().filter(n -> n.getUuid().equals("node-" + node)).findFirst().orElseThrow().getState();
    }

    @Test
    void placementFollowsLivenessAndNodeStatesAreLogged() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).nodeTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).start();
        MetaClient c = cluster.newMetaClient();
        VolumeInfo vol = Ops.volume(c, "placed");
        int v = vol.getVolumeId();
        long file = Ops.create(c, v, vol.getRootInode(), "data").getInode();

        // Nobody heartbeats yet: no node is live, so nothing can be placed, and nothing was half-made.
        assertThatThrownBy(() -> allocate(c, v, file, 0)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_PLACEMENT);
            assertThat(e.getMessage()).contains("placed").contains("min-size");
        });
        assertThat(beat(c, 9, "/x").getMember()).as("a node outside the pool is told so").isFalse();

        for (int n = 1; n <= 3; n++) {
            assertThat(beat(c, n, "/bricks/placed").getMember()).isTrue();
        }
        ChunkInfo chunk = allocate(c, v, file, 0);
        Set<Long> nodes = new HashSet<>();
        for (Replica r : chunk.getPlacementList()) {
            nodes.add(r.getNodeId());
            assertThat(r.getAddress()).startsWith("127.0.0.1:71");
        }
        assertThat(nodes).as("three replicas on three distinct nodes").hasSize(3);
        assertThat(chunk.getEpoch()).isEqualTo(1);
        // Allocating the same chunk again returns the same record.
        assertThat(allocate(c, v, file, 0)).isEqualTo(chunk);

        // Only node 1 and 2 keep heartbeating: node 3 goes down, then out; placement degrades to min-size (2).
        // The poll interval is also nodes 1 and 2's heartbeat period (well inside the 2 s down timeout).
        boolean[] sawDown = {false};
        Awaitility.await("node 3 out").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(300)).until(() -> {
            beat(c, 1, "/bricks/placed");
            beat(c, 2, "/bricks/placed");
            NodeState three = stateOf(c, 3);
            sawDown[0] |= three == NodeState.NODE_DOWN;
            return three == NodeState.NODE_OUT;
        });
        assertThat(sawDown[0]).as("node 3 was logged down before out").isTrue();
        assertThat(stateOf(c, 3)).isEqualTo(NodeState.NODE_OUT);
        assertThat(stateOf(c, 1)).isEqualTo(NodeState.NODE_UP);
        ChunkInfo degraded = allocate(c, v, file, 1);
        assertThat(degraded.getPlacementList()).hasSize(2)
                .allSatisfy(r -> assertThat(r.getAddress()).isNotEqualTo("127.0.0.1:7103"));

        // Node 3 returns: up again.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            beat(c, 3, "/bricks/placed");
            return stateOf(c, 3) == NodeState.NODE_UP;
        });
        cluster.waitForSameState(Duration.ofSeconds(30));
    }
}
