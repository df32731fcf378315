package io.cairn.bench;

import io.cairn.client.MetaClient;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.AddNodeRequest;
import io.cairn.proto.BrickSpec;
import io.cairn.proto.CreateRequest;
import io.cairn.proto.CreateVolumeRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.GetAttrRequest;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MetaReply;
import io.cairn.proto.MkdirRequest;
import io.cairn.proto.SetVolumeStateRequest;
import io.cairn.proto.VolumeInfo;
import io.cairn.proto.VolumeState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Committed metadata operations per second on a 3-peer meta group in one JVM, through the
 * client library: creates (each one a Raft commit, grouped with concurrent ones into one log
 * entry) and stats (linearizable reads under the leader lease). Run with {@code -t 1} and
 * {@code -t 16} to see what batching buys. The ceiling to compare against is the Ratis commit
 * rate of the same group without batching (STACK.md: about 1,500-2,000 small async writes/s on
 * this machine) and, for stats, the RocksDB point-read rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class MetaOpsBenchmark {
    static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();

    MiniCluster cluster;
    int volumeId;
    long root;
    final AtomicInteger clientNumbers = new AtomicInteger();
    final List<Long> statTargets = new ArrayList<>();

    @Setup(Level.Trial)
    public void startCluster() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).start();
        try (MetaClient c = cluster.newMetaClient()) {
            List<BrickSpec> bricks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                long node = c.mutate(ROOT, MetaMutation.newBuilder().setAddNode(AddNodeRequest.newBuilder()
                        .setUuid("bench-node-" + i).setAddress("127.0.0.1:" + (7100 + i))).build()).getNode().getNodeId();
                bricks.add(BrickSpec.newBuilder().setNodeId(node).setPath("/bench").build());
            }
            c.mutate(ROOT, MetaMutation.newBuilder().setCreateVolume(CreateVolumeRequest.newBuilder()
                    .setName("bench").setSize(3).addAllBricks(bricks)).build());
            VolumeInfo vol = c.mutate(ROOT, MetaMutation.newBuilder().setSetVolumeState(SetVolumeStateRequest
                    .newBuilder().setName("bench").setState(VolumeState.VOLUME_STARTED)).build()).getVolume();
            volumeId = vol.getVolumeId();
            root = vol.getRootInode();
            for (int i = 0; i < 1000; i++) {
                statTargets.add(create(c, root, "stat-" + i).getAttr().getInode());
            }
        }
    }

    @TearDown(Level.Trial)
    public void stopCluster() {
        cluster.close();
    }

    MetaReply create(MetaClient c, long parent, String name) throws Exception {
        return c.mutate(ROOT, MetaMutation.newBuilder().setCreate(CreateRequest.newBuilder()
                .setVolumeId(volumeId).setParent(parent).setName(name).setMode(0100644).setExclusive(true)).build());
    }

    /** One client: its own connection and its own directory, as separate application servers would. */
    @State(Scope.Thread)
    public static class Client {
        MetaClient meta;
        long dir;
        int next;
        int statIndex;

        @Setup(Level.Trial)
        public void connect(MetaOpsBenchmark b) throws Exception {
            meta = b.cluster.newMetaClient();
            int n = b.clientNumbers.incrementAndGet();
            dir = meta.mutate(ROOT, MetaMutation.newBuilder().setMkdir(MkdirRequest.newBuilder()
                    .setVolumeId(b.volumeId).setParent(b.root).setName("client-" + n).setMode(0755)).build())
                    .getAttr().getInode();
        }

        @TearDown(Level.Trial)
        public void close() {
            meta.close();
        }
    }

    @Benchmark
    public MetaReply create(Client c) throws Exception {
        return create(c.meta, c.dir, "f" + (c.next++));
    }

    @Benchmark
    public MetaReply stat(Client c) throws Exception {
        long inode = statTargets.get(c.statIndex++ % statTargets.size());
        return c.meta.query(ROOT, MetaQuery.newBuilder().setGetAttr(GetAttrRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode)).build());
    }
}
