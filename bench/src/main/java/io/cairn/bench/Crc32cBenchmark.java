package io.cairn.bench;

import io.cairn.common.Crc32c;
import java.nio.ByteBuffer;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * CRC32C of one {@link Crc32c#BLOCK_SIZE} (64 KiB) block, from a heap array and from a direct
 * buffer, and {@link Crc32c#blocks} over a 1 MiB chunk piece. Every byte a client writes and
 * every byte a replica stores goes through this, so it must stay far above the network and
 * disk rates.
 *
 * <p>Scores are blocks per second: multiply by 65,536 for bytes/s ({@code blocks1MiB}: by
 * 1,048,576). The ceiling is a plain memory copy of the same bytes ({@code copy*}): checksumming
 * reads each byte once and a copy reads and writes it, so a checksum at or above the copy rate
 * is as fast as touching the data can be. Both buffers of a 64 KiB copy stay in the L2 cache, so
 * this is the cache bandwidth, not the DRAM bandwidth, which is lower.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Crc32cBenchmark {
    static final int BLOCK = Crc32c.BLOCK_SIZE;
    static final int CHUNK_PIECE = 1 << 20;

    byte[] heap;
    byte[] heapCopy;
    ByteBuffer direct;
    ByteBuffer directCopy;
    ByteBuffer piece;
    ByteBuffer pieceCopy;

    @Setup(Level.Trial)
    public void fill() {
        Random random = new Random(42);
        heap = new byte[BLOCK];
        random.nextBytes(heap);
        heapCopy = new byte[BLOCK];
        direct = ByteBuffer.allocateDirect(BLOCK).put(heap).flip();
        directCopy = ByteBuffer.allocateDirect(BLOCK);
        byte[] bytes = new byte[CHUNK_PIECE];
        random.nextBytes(bytes);
        piece = ByteBuffer.allocateDirect(CHUNK_PIECE).put(bytes).flip();
        pieceCopy = ByteBuffer.allocateDirect(CHUNK_PIECE);
    }

    @Benchmark
    public int crcHeap() {
        return Crc32c.of(heap, 0, BLOCK);
    }

    @Benchmark
    public int crcDirect() {
        return Crc32c.of(direct);
    }

    /** Ceiling for {@link #crcHeap}. */
    @Benchmark
    public byte[] copyHeap() {
        System.arraycopy(heap, 0, heapCopy, 0, BLOCK);
        return heapCopy;
    }

    /** Ceiling for {@link #crcDirect}. */
    @Benchmark
    public ByteBuffer copyDirect() {
        return directCopy.clear().put(direct.duplicate());
    }

    /** Sixteen block checksums of a 1 MiB piece; one op is 1 MiB. */
    @Benchmark
    public int[] blocks1MiB() {
        return Crc32c.blocks(piece);
    }

    /** Ceiling for {@link #blocks1MiB}: a 1 MiB copy, whose source and target no longer both fit a 1 MiB L2. */
    @Benchmark
    public ByteBuffer copy1MiB() {
        return pieceCopy.clear().put(piece.duplicate());
    }
}
