package io.cairn.client.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolAdminTest {
    static final List<NodeInfo> POOL = List.of(node(1, "10.0.0.5:7100"), node(2, "10.0.0.6:7100"),
            node(3, "10.0.0.6:7200"));

    static NodeInfo node(long id, String address) {
        return NodeInfo.newBuilder().setNodeId(id).setAddress(address).setUuid("uuid-" + id).build();
    }

    @Test
    void aNodeIsNamedByItsAddressOrByItsHostWhenItIsAloneThere() throws Exception {
        assertThat(PoolAdmin.find(POOL, "10.0.0.5:7100").getNodeId()).isEqualTo(1);
        assertThat(PoolAdmin.find(POOL, "10.0.0.5").getNodeId()).isEqualTo(1);
        assertThat(PoolAdmin.find(POOL, "10.0.0.6:7200").getNodeId()).isEqualTo(3);
    }

    @Test
    void anUnknownOrAmbiguousNameSaysHowToFixIt() {
        assertThatThrownBy(() -> PoolAdmin.find(POOL, "10.0.0.6")).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isEqualTo(
                    "host 10.0.0.6 has 2 storage nodes (10.0.0.6:7100, 10.0.0.6:7200); name one as HOST:PORT, e.g. 10.0.0.6:7100");
        assertThatThrownBy(() -> PoolAdmin.find(POOL, "10.0.0.6", ":/b1")).hasMessageEndingWith(
                "name one as HOST:PORT:/b1, e.g. 10.0.0.6:7100:/b1");
        });
        assertThatThrownBy(() -> PoolAdmin.find(POOL, "10.0.0.7")).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.getMessage()).startsWith("no storage node on host 10.0.0.7 in the pool;"
                    + " probe it first with 'cairn peer probe 10.0.0.7:PORT'");
        });
        assertThatThrownBy(() -> PoolAdmin.find(POOL, "10.0.0.5:7101")).hasMessageStartingWith(
                "no storage node at 10.0.0.5:7101 in the pool; probe it first with 'cairn peer probe 10.0.0.5:7101'");
    }
}
