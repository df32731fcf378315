package io.cairn.bench;

import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.VolumeInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sequential throughput of one client through the client library (no FUSE) on a size 3 volume
 * whose 3 storage nodes share this machine's one disk: {@code write} sends {@code mib} MiB in
 * 64 MiB chunks and syncs each, {@code read} reads them back. Each invocation is timed once
 * (seconds); MiB/s = mib / score. The ceiling for writes is the disk written three times (each
 * byte lands on 3 replicas): compare with {@code dd if=/dev/zero of=F bs=1M count=3*mib
 * conv=fsync}; for reads, one read of the disk (mostly the page cache here).
 *
 * <p>Caveat: everything runs in one JVM on 2 cores (3 meta servers, 3 nodes, the client), so
 * the figure is a floor; bench/ will measure separate processes once `cairn local up` starts them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g",
        "-Dio.netty.leakDetection.level=disabled", "-Dorg.apache.ratis.thirdparty.io.netty.leakDetection.level=disabled"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class SequentialDataBenchmark {
    static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();
    static final long CHUNK = 64L << 20;

    @Param({"256"})
    int mib;

    MiniCluster cluster;
    MetaClient meta;
    StorageClient storage;
    VolumeInfo vol;
    ByteBuffer data;
    List<ChunkRef> written = new ArrayList<>();
    int files;

    @Setup(Level.Trial)
    public void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start();
        vol = cluster.createVolume("bench", 3, CHUNK);
        meta = cluster.newMetaClient();
        storage = new StorageClient(Duration.ofSeconds(30));
        cluster.waitForLiveNodes(Duration.ofSeconds(30));
        byte[] b = new byte[(int) CHUNK];
        new Random(1).nextBytes(b);
        data = ByteBuffer.wrap(b);
    }

    @TearDown(Level.Trial)
    public void stop() {
        storage.close();
        cluster.close();
    }

    @Benchmark
    public List<ChunkRef> write() throws Exception {
        long inode = meta.mutate(ROOT, MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(vol.getVolumeId()).setParent(vol.getRootInode()).setName("f" + files++)
                .setMode(0100644)).build()).getAttr().getInode();
        ChunkWriter writer = new ChunkWriter(meta, storage, ROOT, Duration.ofSeconds(60), 4);
        List<ChunkRef> refs = new ArrayList<>();
        for (long index = 0; index < (long) mib * (1 << 20) / CHUNK; index++) {
            ChunkRef ref = new ChunkRef(vol.getVolumeId(), inode, index, CHUNK, meta.mutate(ROOT, MetaMutation.newBuilder()
                    .setAllocateChunk(AllocateChunkRequest.newBuilder().setVolumeId(vol.getVolumeId()).setInode(inode)
                            .setIndex(index)).build()).getChunk());
            refs.add(writer.write(ref, 0, data.duplicate(), true));
        }
        written = refs;
        return refs;
    }

    @Benchmark
    public long read() throws Exception {
        if (written.isEmpty()) {
            write();
        }
        ChunkReader reader = new ChunkReader(meta, storage, ROOT, Duration.ofSeconds(60));
        long bytes = 0;
        for (ChunkRef ref : written) {
            bytes += reader.read(ref, 0, (int) CHUNK).data().remaining();
        }
        return bytes;
    }
}
