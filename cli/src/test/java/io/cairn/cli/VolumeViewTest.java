package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.proto.BrickInfo;
import io.cairn.proto.NodeInfo;
import io.cairn.proto.NodeState;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `volume status`: each brick's fill and the leader's FULL / NEARFULL flags. */
class VolumeViewTest {

    @ParameterizedTest(name = "capacity {0} free {1} full {2} nearfull {3} -> {4}")
    @CsvSource({
            "0, 0, false, false, -",
            "1000, 1000, false, false, 0%",
            "1000, 120, false, true, 88% NEARFULL",
            "1000, 0, true, false, 100% FULL",
    })
    void fillColumn(long capacity, long free, boolean full, boolean nearfull, String shown) {
        BrickInfo b = BrickInfo.newBuilder().setCapacityBytes(capacity).setFreeBytes(free).setFull(full)
                .setNearfull(nearfull).build();
        assertThat(VolumeView.fill(b)).isEqualTo(shown);
    }

    @Test
    void statusShowsUsedSpaceAndTellsWhatToDoAboutAFullBrick() {
        VolumeInfo v = VolumeInfo.newBuilder().setName("vol0").setState(VolumeState.VOLUME_STARTED).setSize(3).setMinSize(2)
                .addBricks(BrickInfo.newBuilder().setNodeId(1).setAddress("h1:7000").setPath("/b1")
                        .setCapacityBytes(8L << 20).setFreeBytes(0).setFull(true))
                .addBricks(BrickInfo.newBuilder().setNodeId(2).setAddress("h2:7000").setPath("/b2")
                        .setCapacityBytes(8L << 20).setFreeBytes(6L << 20))
                .build();
        List<NodeInfo> pool = List.of(NodeInfo.newBuilder().setNodeId(1).setState(NodeState.NODE_UP).build(),
                NodeInfo.newBuilder().setNodeId(2).setState(NodeState.NODE_UP).build());
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            VolumeView.status(out, v, pool);
        }
        List<String> lines = text.toString().lines().toList();
        assertThat(lines.get(1)).contains("BRICK", "USED", "CAPACITY", "FREE", "FILL");
        assertThat(lines.get(2)).contains("h1:7000:/b1", "8 MiB", "100% FULL");
        assertThat(lines.get(3)).contains("h2:7000:/b2", "2 MiB", "25%").doesNotContain("FULL");
        assertThat(lines.get(4)).isEqualTo("1 brick(s) FULL: no new chunks go there and writes to their replicas fail"
                + " with ENOSPC; free space on them or add bricks with `cairn volume add-brick vol0 HOST:/PATH`");
    }
}
