package io.cairn.bench;

import io.cairn.client.MetaClient;
import io.cairn.meta.MetaConfig;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.GetAttrRequest;
import io.cairn.proto.MetaQuery;
import io.cairn.proto.MetaReply;
import io.cairn.proto.VolumeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Committed metadata operations per second on a 3-peer meta group in one JVM, through the
 * client library: creates (each one a Raft commit, grouped with concurrent ones into one log
 * entry) and stats (linearizable reads under the leader lease). Run with {@code -t 1} and
 * {@code -t 16}, and {@code -p batching=true,false}, to see what group commit buys. The ceiling to compare against is the Ratis commit
 * rate of the same group without batching (STACK.md: about 1,500-2,000 small async writes/s on
 * this machine) and, for stats, the RocksDB point-read rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class MetaOpsBenchmark {
    /** With group commit (the normal path) or one mutation per log entry. */
    @Param({"true"})
    boolean batching;

    MiniCluster cluster;
    int volumeId;
    long root;
    final AtomicInteger clientNumbers = new AtomicInteger();
    final List<Long> statTargets = new ArrayList<>();

    @Setup(Level.Trial)
    public void startCluster() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).maxBatch(batching ? MetaConfig.DEFAULT_MAX_BATCH : 1).start();
        try (MetaClient c = cluster.newMetaClient()) {
            VolumeInfo vol = BenchVolume.setUp(m -> c.mutate(BenchVolume.ROOT, m));
            volumeId = vol.getVolumeId();
            root = vol.getRootInode();
            for (int i = 0; i < 1000; i++) {
                statTargets.add(c.mutate(BenchVolume.ROOT, BenchVolume.create(volumeId, root, "stat-" + i))
                        .getAttr().getInode());
            }
        }
    }

    @TearDown(Level.Trial)
    public void stopCluster() {
        cluster.close();
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
            dir = meta.mutate(BenchVolume.ROOT, BenchVolume.mkdir(b.volumeId, b.root, "client-" + b.clientNumbers.incrementAndGet()))
                    .getAttr().getInode();
        }

        @TearDown(Level.Trial)
        public void close() {
            meta.close();
        }
    }

    @Benchmark
    public MetaReply create(Client c) throws Exception {
        return c.meta.mutate(BenchVolume.ROOT, BenchVolume.create(volumeId, c.dir, "f" + (c.next++)));
    }

    @Benchmark
    public MetaReply stat(Client c) throws Exception {
        long inode = statTargets.get(c.statIndex++ % statTargets.size());
        return c.meta.query(BenchVolume.ROOT, MetaQuery.newBuilder().setGetAttr(GetAttrRequest.newBuilder()
                .setVolumeId(volumeId).setInode(inode)).build());
    }
}
