package io.cairn.bench;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.FsOptions;
import io.cairn.client.fs.PathResolver;
import io.cairn.minicluster.MiniCluster;
import io.cairn.proto.Credentials;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Path resolution in the client's cache, as the FUSE adapter does it for every call: an
 * absolute path of 6 names, every lookup and attribute cached (TTL set long so the cache is
 * warm). The ceiling ({@code hashMapWalk}) is the same walk as six HashMap lookups: what the
 * cache's TTL checks, permission check and attribute copies cost on top.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PathResolveBenchmark {
    static final Credentials ROOT = Credentials.newBuilder().setUid(0).setGid(0).build();
    static final String PATH = "/a/bb/ccc/dddd/eeeee/file.txt";

    MiniCluster cluster;
    CairnFs fs;
    PathResolver resolver;
    final Map<Long, Map<String, Long>> dirs = new HashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        cluster = MiniCluster.builder().metaServers(1).storageNodes(1).start();
        cluster.createVolume("bench", 1, 1 << 20);
        FsOptions warm = FsOptions.DEFAULTS.with("attr-ttl", "60m").with("entry-ttl", "60m");
        fs = CairnFs.connect(cluster.metaAddresses(), "bench", warm);
        long dir = fs.root();
        String[] names = PATH.substring(1).split("/");
        for (int i = 0; i < names.length - 1; i++) {
            dirs.computeIfAbsent(dir, k -> new HashMap<>());
            long child = fs.mkdir(ROOT, dir, names[i], 0755).getInode();
            dirs.get(dir).put(names[i], child);
            dir = child;
        }
        long h = fs.create(ROOT, dir, names[names.length - 1], 0644, 1);
        dirs.computeIfAbsent(dir, k -> new HashMap<>()).put(names[names.length - 1], fs.inodeOf(h));
        fs.release(h);
        resolver = new PathResolver(fs);
        resolver.resolve(ROOT, PATH);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fs.close();
        cluster.close();
    }

    @Benchmark
    public Object resolveCached() throws Exception {
        return resolver.resolve(ROOT, PATH);
    }

    @Benchmark
    public long hashMapWalk() {
        long at = fs.root();
        for (String name : PATH.substring(1).split("/")) {
            at = dirs.get(at).get(name);
        }
        return at;
    }
}
