package io.cairn.bench;

import io.cairn.common.Crc32c;
import io.cairn.storage.chunk.FileChunkStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * One brick's chunk store: a 1 MiB piece written (checksums checked, data, block checksums and
 * header updated) into the page cache or with an fsync, and read back (every block checked).
 * Scores are pieces per second (= MiB/s). The ceiling is the same bytes through a plain
 * {@link FileChannel} ({@code raw*}): what the store adds on top of the file system is the gap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChunkStoreBenchmark {
    static final int PIECE = 1 << 20;
    static final long CHUNK = 64L << 20;

    @Param({"false", "true"})
    boolean fsync;

    Path dir;
    FileChunkStore store;
    FileChannel raw;
    ByteBuffer data;
    int[] crcs;
    long chunkId = 1;
    long offset;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cairn-chunkstore-bench-");
        store = FileChunkStore.open(Files.createDirectories(dir.resolve("brick")), false);
        raw = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        byte[] b = new byte[PIECE];
        new Random(1).nextBytes(b);
        data = ByteBuffer.wrap(b);
        crcs = Crc32c.blocks(data.duplicate());
        store.create(chunkId, 1, CHUNK);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        raw.close();
        store.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The next 1 MiB slot of the 64 MiB chunk, wrapping around. */
    private long next() {
        long at = offset;
        offset = (offset + PIECE) % CHUNK;
        return at;
    }

    @Benchmark
    public Object write() throws Exception {
        long at = next();
        Object r = store.write(chunkId, 1, at, data.duplicate(), crcs);
        if (fsync) {
            store.sync(chunkId);
        }
        return r;
    }

    @Benchmark
    public int rawWrite() throws Exception {
        long at = next();
        int n = raw.write(data.duplicate(), at);
        if (fsync) {
            raw.force(true);
        }
        return n;
    }

    @Benchmark
    public Object read() throws Exception {
        if (store.info(chunkId).get().length() < CHUNK) {
            for (long at = 0; at < CHUNK; at += PIECE) {
                store.write(chunkId, 1, at, data.duplicate(), crcs);
            }
        }
        return store.read(chunkId, 1, next(), PIECE);
    }

    @Benchmark
    public Object rawRead() throws Exception {
        if (raw.size() < CHUNK) {
            for (long at = 0; at < CHUNK; at += PIECE) {
                raw.write(data.duplicate(), at);
            }
        }
        ByteBuffer out = ByteBuffer.allocate(PIECE);
        raw.read(out, next());
        return out;
    }
}
