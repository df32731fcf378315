package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.BrickAdmin;
import io.cairn.client.admin.BrickRef;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Replica;
import io.cairn.proto.VolumeInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** remove-brick drains a brick through repair before it leaves; add-brick takes new chunks at once; bad requests change nothing. */
class BrickChangesIT {
    static final long CHUNK = 1 << 20;

    @Test
    void aBrickIsDrainedRemovedAndAnotherAddedWithoutLosingAByte() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().metaServers(3).storageNodes(4).start();
             StorageClient storage = new StorageClient(Duration.ofSeconds(10));
             StorageNodeCalls calls = new StorageNodeCalls()) {
            VolumeInfo vol = cluster.createVolume("data", 3, CHUNK);
            cluster.waitForLiveNodes(Duration.ofSeconds(20));
            MetaClient meta = cluster.newMetaClient();
            BrickAdmin bricks = new BrickAdmin(meta, calls);
            VolumeAdmin volumes = new VolumeAdmin(meta, calls);
            long inode = Ops.create(meta, vol.getVolumeId(), vol.getRootInode(), "f").getInode();
            byte[][] data = new byte[8][(int) CHUNK];
            ChunkWriter writer = new ChunkWriter(meta, storage, Ops.ROOT, Duration.ofSeconds(30), 4);
            for (int i = 0; i < data.length; i++) {
                new Random(i).nextBytes(data[i]);
                ChunkRef ref = ChunkRef.allocate(meta, Ops.ROOT, vol.getVolumeId(), inode, i, CHUNK, Duration.ofSeconds(30));
                writer.write(ref, 0, ByteBuffer.wrap(data[i]), true);
            }
            BrickInfo leaving = vol.getBricks(3);
            BrickRef ref = new BrickRef("127.0.0.1", port(leaving.getAddress()), leaving.getPath());
            BrickRef other = new BrickRef("127.0.0.1", port(vol.getBricks(0).getAddress()), vol.getBricks(0).getPath());

            // Refused, changing nothing: commit before start, two bricks that would leave too few nodes, a stranger.
            assertCode(() -> bricks.remove("data", List.of(ref), false), ErrorCode.INVALID_ARGUMENT, "remove-brick");
            assertCode(() -> bricks.drain("data", List.of(ref, other), true), ErrorCode.INVALID_ARGUMENT, "add bricks first");
            assertCode(() -> bricks.drain("data", List.of(new BrickRef("127.0.0.1", port(leaving.getAddress()), "/nowhere")),
                    true), ErrorCode.NOT_FOUND, "not a brick of volume data");
            assertThat(volumes.get("data").getBricksList()).noneMatch(BrickInfo::getDraining);

            bricks.drain("data", List.of(ref), true);
            Awaitility.await("the brick drained").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> bricks.remaining("data", List.of(ref)).values().stream().allMatch(n -> n == 0));
            VolumeInfo after = bricks.remove("data", List.of(ref), false);
            assertThat(after.getBricksList()).hasSize(3).extracting(BrickInfo::getBrickId).doesNotContain(leaving.getBrickId());
            assertEveryReplicaHolds(meta, storage, vol, inode, data);

            // A brick back on that node: a fresh directory; on a node that has one already it needs force.
            Path fresh = Files.createDirectories(cluster.baseDir().resolve("more/b4"));
            BrickRef back = new BrickRef("127.0.0.1", port(leaving.getAddress()), fresh.toString());
            Path second = Files.createDirectories(cluster.baseDir().resolve("more/b0"));
            assertCode(() -> bricks.add("data", List.of(new BrickRef("127.0.0.1", port(vol.getBricks(0).getAddress()),
                    second.toString())), false), ErrorCode.INVALID_ARGUMENT, "force");
            assertCode(() -> bricks.add("data", List.of(new BrickRef("127.0.0.1", port(leaving.getAddress()),
                    "/does/not/exist")), false), null, "no brick was added");
            assertThat(volumes.get("data").getBricksList()).hasSize(3);
            VolumeInfo grown = bricks.add("data", List.of(back), false);
            assertThat(grown.getBricksList()).hasSize(4);
            assertThat(Files.list(fresh).count()).as("the node claimed the new brick").isPositive();
            assertEveryReplicaHolds(meta, storage, vol, inode, data);
        }
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    interface Call {
        void run() throws Exception;
    }

    static void assertCode(Call call, ErrorCode code, String fragment) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CairnException.class, e -> {
            if (code != null) {
                assertThat(e.code()).isEqualTo(code);
            }
            assertThat(e.getMessage()).contains(fragment);
        });
    }

    static void assertEveryReplicaHolds(MetaClient meta, StorageClient storage, VolumeInfo vol, long inode, byte[][] data)
            throws CairnException {
        ChunkReader reader = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofSeconds(10));
        List<ChunkInfo> chunks = meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(inode)).build()).getChunks().getChunksList();
        assertThat(chunks).hasSize(data.length);
        for (ChunkInfo c : chunks) {
            assertThat(c.getPlacementList()).hasSize(3);
            for (Replica r : c.getPlacementList()) {
                ChunkRef only = new ChunkRef(vol.getVolumeId(), inode, c.getIndex(), CHUNK, c).withPlacement(c.getEpoch(), List.of(r));
                ByteBuffer got = reader.read(only, 0, (int) CHUNK).data();
                byte[] b = new byte[got.remaining()];
                got.get(b);
                assertThat(b).as("chunk %d on %s", c.getIndex(), r.getAddress()).isEqualTo(data[(int) c.getIndex()]);
            }
        }
    }
}
