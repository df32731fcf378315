package io.cairn.bench;

import io.cairn.client.MetaClient;
import io.cairn.meta.MetaConfig;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.MetaReply;
import io.cairn.proto.VolumeInfo;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Committed mutations per second through a 3-peer Raft group in one JVM (MiniCluster, clients
 * through the client library over loopback gRPC), with the proposer grouping concurrent
 * mutations into one log entry ({@code batching=true}, the normal path) and with every
 * mutation in a log entry of its own ({@code batching=false}: max batch 1). Each mutation is a
 * create in the client's own directory. Run with {@code -t 1} and {@code -t 16}: with one
 * client the two settings must match, since there is nothing to group.
 *
 * <p>Both settings keep the proposer's window of two log entries in flight, so without batching
 * at most two mutations are in Raft at once: this measures what group commit buys this server,
 * not Ratis's own pipelining. The ceilings: without batching, the Ratis rate for small writes
 * in one JVM here (STACK.md: 1,500-2,000 async writes/s, a blocking one 10-30 ms); with batching,
 * the apply rate of {@link MetaApplyBenchmark#createBatch64}, divided by the three peers that
 * each apply every entry on the same 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class RatisCommitBenchmark {
    @Param({"true", "false"})
    boolean batching;

    MiniCluster cluster;
    int volumeId;
    long root;
    final AtomicInteger clientNumbers = new AtomicInteger();

    @Setup(Level.Trial)
    public void startCluster() throws Exception {
        cluster = MiniCluster.builder().metaServers(3).maxBatch(batching ? MetaConfig.DEFAULT_MAX_BATCH : 1).start();
        try (MetaClient c = cluster.newMetaClient()) {
            VolumeInfo vol = BenchVolume.setUp(m -> c.mutate(BenchVolume.ROOT, m));
            volumeId = vol.getVolumeId();
            root = vol.getRootInode();
        }
    }

    @TearDown(Level.Trial)
    public void stopCluster() {
        cluster.close();
    }

    /** One client with its own connection and directory, as separate application servers would have. */
    @State(Scope.Thread)
    public static class Client {
        MetaClient meta;
        long dir;
        int next;

        @Setup(Level.Trial)
        public void connect(RatisCommitBenchmark b) throws Exception {
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
        return BenchVolume.ok(c.meta.mutate(BenchVolume.ROOT, BenchVolume.create(volumeId, c.dir, "f" + c.next++)));
    }
}
