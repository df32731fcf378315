package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.MetaClient;
import io.cairn.client.admin.StorageNodeCalls;
import io.cairn.client.admin.VolumeAdmin;
import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.VolumeInfo;
import io.cairn.storage.chunk.ReplicaInfo;
import io.cairn.storage.node.StorageNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Volume option durability=always: a write is on every replica and committed when it returns, before any close. */
class DurabilityIT {
    @Test
    void withDurabilityAlwaysAWriteIsOnEveryReplicaAndCommittedWhenItReturns() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start()) {
            cluster.createVolume("sync", 3, 1 << 20);
            cluster.waitForLiveNodes(Duration.ofSeconds(20));
            MetaClient meta = cluster.newMetaClient();
            VolumeInfo vol = new VolumeAdmin(meta, new StorageNodeCalls()).set("sync", "durability", "always");
            assertThat(vol.getOptionsMap()).containsEntry("durability", "always");
            try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "sync", FsOptions.DEFAULTS)) {
                long h = fs.create(Ops.ROOT, fs.root(), "log", 0100644, 01);  // O_WRONLY
                byte[] data = new byte[100_000];
                new Random(3).nextBytes(data);
                fs.write(h, 0, data, 0, data.length);
                // No flush, fsync or close: another client sees the length at once ...
                long inode = fs.inodeOf(h);
                assertThat(Ops.lookup(meta, vol.getVolumeId(), vol.getRootInode(), "log").getSize()).isEqualTo(data.length);
                // ... and every replica holds the bytes.
                ChunkInfo c = meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                        .setVolumeId(vol.getVolumeId()).setInode(inode)).build()).getChunks().getChunks(0);
                assertThat(c.getPlacementCount()).isEqualTo(3);
                for (int i = 0; i < cluster.nodeCount(); i++) {
                    StorageNode n = cluster.node(i);
                    Optional<ReplicaInfo> r = n.bricks().all().get(0).store().info(c.getChunkId());
                    assertThat(r).as("replica on " + n.address()).isPresent();
                    assertThat(r.get().length()).isEqualTo(data.length);
                }
                fs.release(h);
                // A small file's write is committed inline with its length before it returns.
                long small = fs.create(Ops.ROOT, fs.root(), "small", 0100644, 01);
                fs.write(small, 0, data, 0, 1000);
                assertThat(Ops.lookup(meta, vol.getVolumeId(), vol.getRootInode(), "small").getSize()).isEqualTo(1000);
                io.cairn.proto.ChunkList inline = meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(
                        GetChunksRequest.newBuilder().setVolumeId(vol.getVolumeId()).setInode(fs.inodeOf(small))).build())
                        .getChunks();
                assertThat(inline.getInline()).isTrue();
                assertThat(inline.getInlineData().toByteArray()).isEqualTo(java.util.Arrays.copyOf(data, 1000));
                fs.release(small);
            }
        }
    }
}
