package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.MetaConfig;
import io.cairn.proto.BrickInfo;
import io.cairn.proto.GetVolumeRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Replica;
import io.cairn.proto.VolumeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bricks on small tmpfs file systems (8 MiB each, one per storage node) that really fill up: a
 * filler file beside each brick on the same tmpfs takes the space, and deleting it frees it.
 * One full brick: writes go on degraded without it. Every brick full: the writer gets ENOSPC
 * (NO_SPACE), not the I/O timeout's error, although its I/O timeout is long. Space freed:
 * writes succeed again.
 */
class DiskFullIT {
    static final long CHUNK = 1L << 20;
    static final int PIECE = 256 << 10;

    @TempDir
    Path base;
    final List<Path> mounts = new ArrayList<>();
    MiniCluster cluster;
    MetaClient meta;
    StorageClient storage;
    VolumeInfo vol;

    @BeforeEach
    void start() throws Exception {
        for (int i = 1; i <= 3; i++) {
            Path dir = Files.createDirectories(base.resolve("bricks").resolve("node" + i));
            run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir.toString());
            mounts.add(dir);
        }
        // Repair scans hourly: the chunks these tests degrade stay as the writes left them.
        cluster = MiniCluster.builder().baseDir(base).metaServers(1).storageNodes(3)
                .heartbeatInterval(Duration.ofMillis(200))
                .repair(new MetaConfig.RepairSettings(Duration.ofHours(1), 2, 0)).start();
        vol = cluster.createVolume("data", 3, CHUNK);
        meta = cluster.newMetaClient();
        storage = new StorageClient(Duration.ofSeconds(10));
        cluster.waitForLiveNodes(Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (storage != null) {
                storage.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            IOException failed = null;
            for (Path m : mounts) {  // every one, even if one fails: a mount left behind outlives the test
                try {
                    run("umount", "-l", m.toString());
                } catch (IOException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }

    /** A writer that would wait five minutes for replicas that are down: ENOSPC must not wait. */
    ChunkWriter writer() {
        return new ChunkWriter(meta, storage, Ops.ROOT, Duration.ofMinutes(5), 4);
    }

    ChunkRef allocate(String name) throws CairnException {
        long inode = Ops.create(meta, vol.getVolumeId(), vol.getRootInode(), name).getInode();
        return ChunkRef.allocate(meta, Ops.ROOT, vol.getVolumeId(), inode, 0, CHUNK, Duration.ofSeconds(30));
    }

    @Test
    void oneFullBrickIsDroppedAndWritesGoOnDegraded() throws Exception {
        ChunkRef ref = allocate("a");
        assertThat(ref.info().getPlacementCount()).isEqualTo(3);
        byte[] data = random((int) CHUNK, 1);
        ref = writer().write(ref, 0, ByteBuffer.wrap(data, 0, PIECE), true);

        // The brick of the chunk's second replica fills up: the rest of the chunk is written
        // without it, at a new epoch, and acknowledged.
        Replica victim = ref.info().getPlacement(1);
        fill(nodeIndex(victim));
        ChunkRef after = writer().write(ref, PIECE, ByteBuffer.wrap(data, PIECE, data.length - PIECE), true);
        assertThat(after.info().getPlacementList()).extracting(Replica::getBrickId)
                .hasSize(2).doesNotContain(victim.getBrickId());
        assertThat(after.info().getEpoch()).isGreaterThan(ref.info().getEpoch());
        assertThat(readAll(after)).isEqualTo(data);

        // A new chunk, once the leader has heard that the brick is full, is placed on the two
        // bricks with room (degraded, as min-size 2 allows).
        awaitFull(victim.getBrickId());
        ChunkRef b = allocate("b");
        assertThat(b.info().getPlacementList()).extracting(Replica::getBrickId)
                .hasSize(2).doesNotContain(victim.getBrickId());
        byte[] more = random((int) CHUNK, 2);
        ChunkRef bAfter = writer().write(b, 0, ByteBuffer.wrap(more), true);
        assertThat(readAll(bAfter)).isEqualTo(more);
    }

    @Test
    void aFullPrimaryHandsTheChunkToAReplicaWithRoom() throws Exception {
        ChunkRef ref = allocate("p");
        byte[] data = random((int) CHUNK, 3);
        ref = writer().write(ref, 0, ByteBuffer.wrap(data, 0, PIECE), true);
        Replica primary = ref.primary();
        fill(nodeIndex(primary));
        ChunkRef after = writer().write(ref, PIECE, ByteBuffer.wrap(data, PIECE, data.length - PIECE), true);
        assertThat(after.info().getPlacementList()).extracting(Replica::getBrickId)
                .hasSize(2).doesNotContain(primary.getBrickId());
        assertThat(readAll(after)).isEqualTo(data);
    }

    @Test
    void replicasFullBelowMinSizeIsEnospcAndThePrimaryKeepsItsPlacement() throws Exception {
        ChunkRef ref = allocate("r");
        byte[] data = random((int) CHUNK, 6);
        ref = writer().write(ref, 0, ByteBuffer.wrap(data, 0, PIECE), true);
        fill(nodeIndex(ref.info().getPlacement(1)));
        fill(nodeIndex(ref.info().getPlacement(2)));
        // Dropping both would leave one replica, below min-size 2: ENOSPC at once, and the
        // primary, which has room, is not dropped for it.
        ChunkRef placed = ref;
        assertThatThrownBy(() -> writer().write(placed, PIECE, ByteBuffer.wrap(data, PIECE, PIECE), true))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).as(e.getMessage())
                        .isEqualTo(ErrorCode.NO_SPACE))
                .hasMessageContaining("are full").hasMessageContaining("cairn volume add-brick")
                .hasMessageNotContaining("\n");
        ChunkRef now = ref.refresh(meta, Ops.ROOT);
        assertThat(now.info().getPlacementList()).extracting(Replica::getBrickId)
                .isEqualTo(ref.info().getPlacementList().stream().map(Replica::getBrickId).toList());
    }

    @Test
    void everyBrickFullIsEnospcAtOnceAndFreedSpaceIsUsedAgain() throws Exception {
        ChunkRef ref = allocate("c");
        byte[] data = random((int) CHUNK, 4);
        ref = writer().write(ref, 0, ByteBuffer.wrap(data, 0, PIECE), true);
        for (int i = 0; i < 3; i++) {
            fill(i);
        }
        // An existing chunk: every replica refuses; the writer, whose I/O timeout is minutes,
        // fails with NO_SPACE naming a full brick (a timeout would be IO_ERROR after 5 minutes).
        ChunkRef placed = ref;
        long started = System.nanoTime();
        assertThatThrownBy(() -> writer().write(placed, PIECE, ByteBuffer.wrap(data, PIECE, PIECE), true))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).as(e.getMessage())
                        .isEqualTo(ErrorCode.NO_SPACE))
                .hasMessageContaining("is full (No space left on device)")
                .hasMessageContaining("cairn volume add-brick").hasMessageNotContaining("\n");
        // Reported, not asserted (no timing asserts): how far under the 5 minute I/O timeout.
        System.out.printf("DiskFullIT: ENOSPC after %d ms with a 300000 ms I/O timeout%n",
                (System.nanoTime() - started) / 1_000_000);

        // A new chunk, once the leader knows: no brick below the fill threshold, NO_SPACE from
        // the allocation itself (not NO_PLACEMENT's wait for nodes).
        for (BrickInfo b : volume().getBricksList()) {
            awaitFull(b.getBrickId());
        }
        assertThatThrownBy(() -> allocate("d"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).as(e.getMessage())
                        .isEqualTo(ErrorCode.NO_SPACE))
                .hasMessageContaining("full").hasMessageContaining("cairn volume add-brick");

        // Space freed beside the bricks: new chunks are placed on all three and written.
        for (int i = 0; i < 3; i++) {
            Files.delete(filler(i));
        }
        Awaitility.await("the leader sees room on every brick").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> volume().getBricksList().stream().noneMatch(b -> b.getFull() || b.getNearfull()));
        ChunkRef e = allocate("e");
        assertThat(e.info().getPlacementCount()).isEqualTo(3);
        byte[] more = random((int) CHUNK, 5);
        ChunkRef eAfter = writer().write(e, 0, ByteBuffer.wrap(more), true);
        assertThat(readAll(eAfter)).isEqualTo(more);
    }

    @Test
    void theFileSystemApiAnswersEnospcAndWritesAgainOnceSpaceIsFreed() throws Exception {
        FsOptions options = FsOptions.DEFAULTS.with("io-timeout", "5m");
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "data", options)) {
            for (int i = 0; i < 3; i++) {
                fill(i);
            }
            byte[] data = random(2 << 20, 7);
            long h = fs.create(Ops.ROOT, fs.root(), "big", 0644, 2);
            // Buffered writes may return before the bytes are sent; fsync reports what sending met.
            assertThatThrownBy(() -> {
                fs.write(h, 0, data, 0, data.length);
                fs.fsync(h);
            }).isInstanceOfSatisfying(CairnException.class, e -> {
                assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.NO_SPACE);
                assertThat(e.code().errno()).isEqualTo(io.cairn.common.Errno.ENOSPC);  // what the mount returns
            });
            try {
                fs.release(h);
            } catch (CairnException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE);  // close reports the failed write again
            }

            for (int i = 0; i < 3; i++) {
                Files.delete(filler(i));
            }
            Awaitility.await("the leader sees room on every brick").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> volume().getBricksList().stream().noneMatch(b -> b.getFull() || b.getNearfull()));
            long again = fs.create(Ops.ROOT, fs.root(), "again", 0644, 2);
            fs.write(again, 0, data, 0, data.length);
            fs.fsync(again);
            fs.release(again);
            long r = fs.open(Ops.ROOT, fs.lookup(Ops.ROOT, fs.root(), "again").getInode(), 0);
            byte[] back = new byte[data.length];
            int got = 0;
            byte[] buf = new byte[1 << 20];
            while (got < back.length) {
                int n = fs.read(r, got, buf, Math.min(buf.length, back.length - got));
                if (n <= 0) {
                    break;
                }
                System.arraycopy(buf, 0, back, got, n);
                got += n;
            }
            fs.release(r);
            assertThat(got).isEqualTo(data.length);
            assertThat(back).isEqualTo(data);
        }
    }

    /** Appends to the filler file beside node i's brick until its file system is full. */
    void fill(int i) throws IOException {
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler(i), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
    }

    Path filler(int i) {
        return mounts.get(i).resolve("filler");
    }

    /**
     * Waits until the leader flags the brick FULL in the volume's status. The filler is topped up
     * meanwhile: the leader may delete the brick's dropped replica, which frees a little space.
     */
    void awaitFull(long brickId) {
        Awaitility.await("brick " + brickId + " flagged full").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    BrickInfo b = volume().getBricksList().stream().filter(x -> x.getBrickId() == brickId)
                            .findFirst().orElseThrow();
                    fill(nodeOf(b));
                    return b.getFull();
                });
    }

    VolumeInfo volume() throws CairnException {
        return meta.query(Ops.ROOT, MetaQuery.newBuilder().setGetVolume(GetVolumeRequest.newBuilder()
                .setName("data")).build()).getVolume();
    }

    int nodeIndex(Replica r) {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i).address().equals(r.getAddress())) {
                return i;
            }
        }
        throw new AssertionError("no node at " + r.getAddress());
    }

    int nodeOf(BrickInfo b) {
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i).address().equals(b.getAddress())) {
                return i;
            }
        }
        throw new AssertionError("no node at " + b.getAddress());
    }

    /** The chunk's bytes, read from each replica of its placement in turn; they must agree. */
    byte[] readAll(ChunkRef ref) throws CairnException {
        ChunkReader reader = new ChunkReader(meta, storage, Ops.ROOT, Duration.ofSeconds(10));
        byte[] first = null;
        for (Replica r : ref.info().getPlacementList()) {
            ByteBuffer got = reader.read(ref.withPlacement(ref.info().getEpoch(), List.of(r)), 0, (int) CHUNK).data();
            byte[] out = new byte[got.remaining()];
            got.get(out);
            if (first != null) {
                assertThat(out).as("replica on " + r.getAddress()).isEqualTo(first);
            }
            first = out;
        }
        return first;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.trim() + " " + Arrays.toString(cmd));
        }
    }
}
