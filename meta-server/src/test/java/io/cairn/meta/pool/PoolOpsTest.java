package io.cairn.meta.pool;

import static io.cairn.meta.NamespaceFixture.ROOT;
import static io.cairn.meta.NamespaceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.ErrnoCase;
import io.cairn.meta.FixtureTest;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.DeleteVolumeRequest;
import io.cairn.proto.ErrorCode;
import io.cairn.proto.HeartbeatRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaReply;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import io.cairn.proto.RemoveNodeRequest;
import io.cairn.proto.SetNodeStateRequest;
import io.cairn.proto.VolumeState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pool of storage nodes: probe (add), detach (remove) and node states. Nodes 1-3 hold "vol". */
class PoolOpsTest extends FixtureTest {

    static MetaMutation add(String uuid, String address) {
        return MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder().setUuid(uuid).setAddress(address)).build();
    }

    static MetaMutation remove(long node) {
        return MetaMutation.newBuilder().setRemoveNode(RemoveNodeRequest.newBuilder().setNodeId(node)).build();
    }

    static MetaMutation setState(long node, NodeState state) {
        return MetaMutation.newBuilder().setSetNodeState(SetNodeStateRequest.newBuilder().setNodeId(node).setState(state))
                .build();
    }

    @ParameterizedTest(name = "add node uuid ''{0}'' at ''{1}'' -> {2}")
    @CsvSource({
            "node-4,   10.0.0.4:7100,           OK",
            "node-4,   storage-4.example:1,     OK",
            "node-4,   [::1]:7100,              OK",
            "node-4,   [fe80::1]:65535,         OK",
            "node-4,   host_name:8080,          OK",
            "'',       10.0.0.4:7100,           INVALID_ARGUMENT",
            "node-4,   '',                      INVALID_ARGUMENT",
            "node-4,   10.0.0.4,                INVALID_ARGUMENT",
            "node-4,   :7100,                   INVALID_ARGUMENT",
            "node-4,   10.0.0.4:,               INVALID_ARGUMENT",
            "node-4,   10.0.0.4:0,              INVALID_ARGUMENT",
            "node-4,   10.0.0.4:65536,          INVALID_ARGUMENT",
            "node-4,   10.0.0.4:-1,             INVALID_ARGUMENT",
            "node-4,   10.0.0.4:http,           INVALID_ARGUMENT",
            "node-4,   bad host:7100,           INVALID_ARGUMENT",
            "node-4,   a/b:7100,                INVALID_ARGUMENT",
            "node-4,   ::1:7100,                INVALID_ARGUMENT",
            "node-5,   10.0.0.1:7100,           ALREADY_EXISTS",   // node 1's address
    })
    void addNode(String uuid, String address, ErrorCode expected) {
        MetaReply r = ErrnoCase.check(fx, x -> () -> x.apply(ROOT, add(uuid, address)), expected);
        if (expected == ErrorCode.OK) {
            assertThat(r.getNode().getNodeId()).isEqualTo(4);
            assertThat(r.getNode().getState()).isEqualTo(NodeState.NODE_UP);
            assertThat(r.getNode().getAddress()).isEqualTo(address);
        }
    }

    @Test
    void uuidLengthLimit() {
        ErrnoCase.check(fx, x -> () -> x.apply(ROOT, add("u".repeat(64), "10.0.0.4:1")), ErrorCode.OK);
        ErrnoCase.check(fx, x -> () -> x.apply(ROOT, add("v".repeat(65), "10.0.0.5:1")), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aRepeatedProbeKeepsTheIdAndStateAndTakesTheNewAddress() {
        ok(fx.apply(ROOT, setState(2, NodeState.NODE_DOWN)));
        NodeInfo again = ok(fx.apply(ROOT, add("node-2", "10.0.9.2:7200"))).getNode();
        assertThat(again.getNodeId()).isEqualTo(2);
        assertThat(again.getState()).isEqualTo(NodeState.NODE_DOWN);
        assertThat(again.getAddress()).isEqualTo("10.0.9.2:7200");
        assertThat(PoolOps.listNodes(fx.store(), null)).hasSize(3);
        assertThat(PoolOps.nodeIdOf(fx.store(), "node-2")).isEqualTo(2);
        assertThat(PoolOps.nodeIdOf(fx.store(), "nope")).isZero();
        // the same probe twice changes nothing
        String before = fx.stateDigest();
        ok(fx.apply(ROOT, add("node-2", "10.0.9.2:7200")));
        assertThat(fx.stateDigest()).isEqualTo(before);
    }

    @Test
    void nodeIdsAreNotReused() {
        long four = ok(fx.apply(ROOT, add("node-4", "10.0.0.4:7100"))).getNode().getNodeId();
        ok(fx.apply(ROOT, remove(four)));
        long five = ok(fx.apply(ROOT, add("node-4", "10.0.0.4:7100"))).getNode().getNodeId();
        assertThat(five).isGreaterThan(four);
    }

    @Test
    void removeNode() {
        ErrnoCase.check(fx, x -> () -> x.apply(ROOT, remove(99)), ErrorCode.NOT_FOUND);
        MetaReply busy = ErrnoCase.check(fx, x -> () -> x.apply(ROOT, remove(1)), ErrorCode.BUSY);
        assertThat(busy.getMessage()).contains("vol");
        long four = ok(fx.apply(ROOT, add("node-4", "10.0.0.4:7100"))).getNode().getNodeId();
        ErrnoCase.check(fx, x -> () -> x.apply(ROOT, remove(four)), ErrorCode.OK);
        assertThat(PoolOps.listNodes(fx.store(), null)).extracting(NodeInfo::getNodeId).containsExactly(1L, 2L, 3L);
        // once the volume is gone its nodes may leave
        ok(fx.setVolumeState("vol", VolumeState.VOLUME_STOPPED));
        ok(fx.apply(ROOT, MetaMutation.newBuilder().setDeleteVolume(DeleteVolumeRequest.newBuilder().setName("vol")).build()));
        ok(fx.apply(ROOT, remove(1)));
        fx.reset();  // the fixture's volume must exist for the invariant check after the test
    }

    @ParameterizedTest(name = "set node {0} to {1} -> {2}")
    @CsvSource({
            "1,  NODE_DOWN,               OK",
            "1,  NODE_OUT,                OK",
            "1,  NODE_UP,                 OK",
            "1,  NODE_STATE_UNSPECIFIED,  INVALID_ARGUMENT",
            "99, NODE_DOWN,               NOT_FOUND",
    })
    void setNodeState(long node, NodeState state, ErrorCode expected) {
        MetaReply r = ErrnoCase.check(fx, x -> () -> x.apply(ROOT, setState(node, state)), expected);
        if (expected == ErrorCode.OK) {
            assertThat(r.getNode().getState()).isEqualTo(state);
            assertThat(PoolOps.listNodes(fx.store(), null).get(0).getState()).isEqualTo(state);
        }
    }

    @Test
    void listNodesShowsLastHeartbeats() {
        VolumeAdminTest.MutableClock clock = new VolumeAdminTest.MutableClock();
        NodeLiveness live = new NodeLiveness(clock, Duration.ofSeconds(5));
        live.heartbeat(3, HeartbeatRequest.getDefaultInstance());
        assertThat(PoolOps.listNodes(fx.store(), live)).extracting(NodeInfo::getLastHeartbeatMs)
                .containsExactly(0L, 0L, clock.millis());
        assertThat(PoolOps.listNodes(fx.store(), live)).extracting(NodeInfo::getUuid)
                .containsExactly("node-1", "node-2", "node-3");
    }
}
