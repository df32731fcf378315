package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.Replica;
import io.cairn.proto.VolumeInfo;
import io.cairn.common.brick.BrickLayout;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's chunk writer and reader against a 3-node, size 3 / min-size 2 volume. */
class ChunkClientIT {
    static final long CHUNK = 8L << 20;
    MiniCluster cluster;
    MetaClient meta;
    StorageClient storage;
    VolumeInfo vol;

    @BeforeEach
    void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start();
        vol = cluster.createVolume("data", 3, CHUNK);
        meta = cluster.newMetaClient();
        storage = new StorageClient(Duration.ofSeconds(10));
        cluster.waitForLiveNodes(Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    ChunkRef newChunk(String name) throws CairnException {
        long inode = Ops.create(meta, vol.getVolumeId(), vol.getRootInode(), name).getInode();
        ChunkInfo info = meta.mutate(Ops.ROOT, MetaMutation.newBuilder().setAllocateChunk(AllocateChunkRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setInode(inode).setIndex(0)).build()).getChunk();
        return new ChunkRef(vol.getVolumeId(), inode, 0, CHUNK, info);
    }

    ChunkWriter writer(Duration timeout) {
        return new ChunkWriter(meta, storage, Ops.ROOT, timeout, 4);
    }

    ChunkReader reader() {
        return new ChunkReader(meta, storage, Ops.ROOT, Duration.ofSeconds(10));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    int nodeOf(Replica r) {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i) != null && cluster.node(i).address().equals(r.getAddress())) {
                return i;
            }
        }
        throw new IllegalStateException("no running node at " + r.getAddress());
    }

    /**
     * In one JVM a killed node's running handlers cannot be stopped (they would go on writing at
     * the old epoch, which a real crash never does), so the crash here falls between two writes;
     * a crash in the middle of a write is tested with real processes and kill -9.
     */
    @Test
    void aWriterReplacesAKilledPrimaryAndNothingAcknowledgedIsLost() throws Exception {
        ChunkRef ref = newChunk("big");
        byte[] data = random((int) CHUNK, 1);
        int half = data.length / 2;
        ChunkRef first = writer(Duration.ofSeconds(30)).write(ref, 0, ByteBuffer.wrap(data, 0, half), true);
        assertThat(first.info().getEpoch()).isEqualTo(ref.info().getEpoch());
        cluster.killNode(nodeOf(ref.primary()));

        ChunkRef after = writer(Duration.ofSeconds(30)).write(first, half, ByteBuffer.wrap(data, half, half), true);
        assertThat(after.info().getEpoch()).isGreaterThan(ref.info().getEpoch());
        assertThat(after.info().getPlacementList()).hasSize(2)
                .extracting(Replica::getAddress).doesNotContain(ref.primary().getAddress());
        for (Replica r : after.info().getPlacementList()) {
            ChunkRef only = after.withPlacement(after.info().getEpoch(), java.util.List.of(r));
            assertThat(Arrays.equals(toArray(reader().read(only, 0, data.length).data()), data))
                    .as("every byte on the replica at " + r.getAddress()).isTrue();
        }
    }

    @Test
    void readsFailOverFromACorruptReplica() throws Exception {
        ChunkRef ref = newChunk("c");
        byte[] data = random(3 << 20, 2);
        ref = writer(Duration.ofSeconds(10)).write(ref, 0, ByteBuffer.wrap(data), true);
        Replica primary = ref.primary();
        var brick = cluster.node(nodeOf(primary)).bricks().get(primary.getBrickId());
        try (RandomAccessFile f = new RandomAccessFile(new BrickLayout(brick.path())
                .dataFile(ref.info().getChunkId()).toFile(), "rw")) {
            f.seek(1_500_000);
            int b = f.read();
            f.seek(1_500_000);
            f.write(b ^ 0xff);
        }
        assertThat(toArray(reader().read(ref, 0, data.length).data())).isEqualTo(data);
        assertThat(brick.store().info(ref.info().getChunkId()).orElseThrow().suspect()).isTrue();
    }

    @Test
    void belowMinSizeWritesFailAfterTheTimeoutAndResumeWhenANodeReturns() throws Exception {
        ChunkRef ref = newChunk("q");
        byte[] first = random(1 << 20, 3);
        ref = writer(Duration.ofSeconds(10)).write(ref, 0, ByteBuffer.wrap(first), true);
        int a = nodeOf(ref.info().getPlacement(1));
        int b = nodeOf(ref.info().getPlacement(2));
        cluster.stopNode(a);
        cluster.stopNode(b);
        ChunkRef current = ref;
        byte[] second = random(1 << 20, 4);
        assertThatThrownBy(() -> writer(Duration.ofSeconds(4)).write(current, 1 << 20, ByteBuffer.wrap(second), true))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
                    assertThat(e.getMessage()).contains("did not complete");
                });
        // Nothing acknowledged is lost, and once one replica is back writes go on.
        cluster.startNode(a);
        ChunkRef resumed = writer(Duration.ofSeconds(20)).write(current.refresh(meta, Ops.ROOT), 1 << 20,
                ByteBuffer.wrap(second), true);
        byte[] both = new byte[2 << 20];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertThat(toArray(reader().read(resumed, 0, both.length).data())).isEqualTo(both);
    }

    static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
