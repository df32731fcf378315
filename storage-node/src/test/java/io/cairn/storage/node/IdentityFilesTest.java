package io.cairn.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.state.BrickIdentity;
import io.cairn.common.brick.BrickLayout;
import io.cairn.storage.chunk.Bricks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's identity files after a power cut tore them, and their recovery from what the pool knows. */
class IdentityFilesTest {
    static final String UUID = "3f1e2d4c-1111-4222-8333-944455556666";

    @TempDir
    Path tmp;

    static void assertRefused(ThrowingCall call, String... parts) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
            assertThat(e.getMessage()).contains(parts);
        });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aNewDataDirGetsAUuidThatIsKept() throws Exception {
        Path data = tmp.resolve("data");
        String uuid = NodeIdentity.loadOrCreate(data);
        assertThat(NodeIdentity.loadOrCreate(data)).isEqualTo(uuid);
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("node.id");
        }
    }

    @Test
    void tornOrMissingIdentityFilesNameTheFileAndTheWayToRecover() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("node.id"), "");
        assertRefused(() -> NodeIdentity.loadOrCreate(data), "node.id is empty or torn", "cairn node recover-identity");
        Files.delete(data.resolve("node.id"));
        Files.writeString(data.resolve("bricks"), "");
        assertRefused(() -> NodeIdentity.loadOrCreate(data), "node.id is missing", "cairn node recover-identity");

        Files.writeString(data.resolve("bricks"), "/some/brick\tvolume_uu");
        assertRefused(() -> BrickRegistry.open(data), "line 1 of the brick list", "is torn", "cairn node recover-identity");

        Path brick = Files.createDirectories(tmp.resolve("b1"));
        Files.writeString(brick.resolve(BrickLayout.IDENTITY_FILE), "");
        BrickIdentity id = BrickIdentity.newBuilder().setVolumeUuid("v").setBrickId(4).setNodeUuid(UUID).build();
        assertRefused(() -> Bricks.open(brick, id, false), ".cairn-brick is empty or torn", "cairn node recover-identity");
    }

    @Test
    void recoveryRewritesWhatIsLostAndTheNodeStartsWithItsBricks() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path b1 = Files.createDirectories(tmp.resolve("b1"));
        Path b2 = Files.createDirectories(tmp.resolve("b2"));
        Path gone = tmp.resolve("gone");
        BrickIdentity id1 = BrickIdentity.newBuilder().setVolumeUuid("v").setBrickId(1).setNodeUuid(UUID).build();
        BrickIdentity id2 = BrickIdentity.newBuilder().setVolumeUuid("v").setBrickId(2).setNodeUuid(UUID).build();
        BrickIdentity id3 = BrickIdentity.newBuilder().setVolumeUuid("v").setBrickId(3).setNodeUuid(UUID).build();
        Bricks.claim(b2, id2);
        Bricks.open(b2, id2, false).create(9, 1, 64 << 10);
        Files.writeString(data.resolve("node.id"), "");
        Files.writeString(b1.resolve(BrickLayout.IDENTITY_FILE), "volume_u");  // torn

        IdentityRecovery.Outcome o = IdentityRecovery.recover(data, UUID, List.of(
                new IdentityRecovery.KnownBrick(b1, id1), new IdentityRecovery.KnownBrick(b2, id2),
                new IdentityRecovery.KnownBrick(gone, id3)));
        assertThat(o.done()).anyMatch(l -> l.contains("node.id: restored")).anyMatch(l -> l.contains("b1/.cairn-brick: restored"))
                .anyMatch(l -> l.contains("b2/.cairn-brick: intact"));
        assertThat(o.problems()).singleElement().asString().contains("gone", "does not exist");

        assertThat(NodeIdentity.loadOrCreate(data)).isEqualTo(UUID);
        BrickRegistry r = BrickRegistry.open(data);
        assertThat(r.all()).extracting(BrickRegistry.Brick::id).containsExactlyInAnyOrder(1L, 2L);
        assertThat(r.get(2).store().list()).hasSize(1);

        Files.writeString(data.resolve("node.id"), "00000000-0000-4000-8000-000000000000\n");
        assertThatThrownBy(() -> IdentityRecovery.recover(data, UUID, List.of()))
                .isInstanceOf(CairnException.class).hasMessageContaining("belongs to another node");
    }
}
