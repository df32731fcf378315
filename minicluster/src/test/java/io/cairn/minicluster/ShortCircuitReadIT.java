package io.cairn.minicluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.common.brick.BrickLayout;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.Replica;
import java.io.RandomAccessFile;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Short-circuit reads: a client on the host of a replica's brick reads the replica's files
 * itself (no Read reaches the node, as the nodes' read counters show), checks every block, and
 * leaves a corrupt replica to its node, which marks it while another replica serves.
 */
class ShortCircuitReadIT {
    static final long CHUNK = 4L << 20;
    static MiniCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).storageNodes(3).start();
        cluster.createVolume("sc", 3, CHUNK);
        cluster.waitForLiveNodes(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static double networkReads() {
        double sum = 0;
        for (int i = 0; i < cluster.nodeCount(); i++) {
            sum += cluster.nodeCounter(i, "cairn_node_read_bytes");
        }
        return sum;
    }

    static void write(String name, byte[] data) throws Exception {
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "sc", FsOptions.DEFAULTS)) {
            long h = fs.create(Ops.ROOT, fs.root(), name, 0100644, 2);
            fs.write(h, 0, data, 0, data.length);
            fs.release(h);
        }
    }

    /** The whole file read by a new client with the given options. */
    static byte[] read(String name, int size, FsOptions options) throws Exception {
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "sc", options)) {
            long h = fs.open(Ops.ROOT, fs.lookup(Ops.ROOT, fs.root(), name).getInode(), 0);
            byte[] out = new byte[size];
            int at = 0;
            while (at < size) {
                byte[] piece = new byte[Math.min(1 << 20, size - at)];
                int n = fs.read(h, at, piece, piece.length);
                System.arraycopy(piece, 0, out, at, n);
                at += n;
            }
            fs.release(h);
            return out;
        }
    }

    @Test
    void readsOfReplicasOnThisHostSkipTheNodesAndOffReadsThroughThem() throws Exception {
        byte[] data = random(9 << 20, 1);
        write("local", data);
        double before = networkReads();
        assertThat(read("local", data.length, FsOptions.DEFAULTS)).isEqualTo(data);
        assertThat(networkReads() - before).as("bytes the nodes served").isZero();

        before = networkReads();
        assertThat(read("local", data.length, FsOptions.DEFAULTS.with("short-circuit", "off"))).isEqualTo(data);
        assertThat(networkReads() - before).isGreaterThanOrEqualTo(data.length);
    }

    @Test
    void aCorruptLocalReplicaIsLeftToItsNodeWhichMarksItAndAnotherServes() throws Exception {
        byte[] data = random(3 << 20, 2);
        write("corrupt", data);
        ChunkInfo chunk;
        try (CairnFs fs = CairnFs.connect(cluster.metaAddresses(), "sc", FsOptions.DEFAULTS)) {
            long inode = fs.lookup(Ops.ROOT, fs.root(), "corrupt").getInode();
            chunk = cluster.newMetaClient().query(Ops.ROOT, MetaQuery.newBuilder().setGetChunks(GetChunksRequest
                    .newBuilder().setVolumeId(fs.volume().getVolumeId()).setInode(inode).setFirstIndex(0).setCount(1))
                    .build()).getChunks().getChunks(0);
        }
        Replica primary = chunk.getPlacement(0);
        int node = -1;
        for (int i = 0; i < cluster.nodeCount(); i++) {
            if (cluster.node(i).address().equals(primary.getAddress())) {
                node = i;
            }
        }
        var brick = cluster.node(node).bricks().get(primary.getBrickId());
        try (RandomAccessFile f = new RandomAccessFile(new BrickLayout(brick.path()).dataFile(chunk.getChunkId()).toFile(),
                "rw")) {
            f.seek(1_500_000);
            int b = f.read();
            f.seek(1_500_000);
            f.write(b ^ 0xff);
        }
        assertThat(read("corrupt", data.length, FsOptions.DEFAULTS)).isEqualTo(data);
        // The client's own check failed, so it asked the node, which found the mismatch too and
        // marked its replica for repair; the next replica, read here, served the bytes.
        assertThat(brick.store().info(chunk.getChunkId()).orElseThrow().suspect()).as("marked by its node").isTrue();
    }
}
