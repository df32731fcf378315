package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * One large file written in 1 MiB pieces with an fsync at the end (inside the timing: the data
 * must be on disk), then, after dropping the caches, read back in 1 MiB pieces.
 */
public final class SequentialIo implements Workload {
    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        long total = ctx.sizes().sequentialBytes();
        Path file = ctx.dir().resolve("sequential.dat");
        ByteBuffer piece = Io.randomBuffer(SuiteSizes.PIECE, new SplittableRandom(1));

        ctx.step("write " + total / (1 << 20) + " MiB, fsync");
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < total; done += SuiteSizes.PIECE) {
                Io.writeFully(ch, piece.clear());
                ctx.advance(done + SuiteSizes.PIECE, total);
            }
            ch.force(true);
        }
        ctx.figure("write", Rates.mibPerSecond(total, System.nanoTime() - start), "MiB/s", Better.HIGHER);

        ctx.dropCaches();
        ctx.step("read back");
        ByteBuffer buf = ByteBuffer.allocateDirect(SuiteSizes.PIECE);
        long read = 0;
        start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = ch.read(buf.clear())) >= 0; ) {
                read += n;
                ctx.advance(read, total);
            }
        }
        ctx.figure("read", Rates.mibPerSecond(read, System.nanoTime() - start), "MiB/s", Better.HIGHER);
        ctx.check("read length", read == total);
        Files.delete(file);
    }
}
