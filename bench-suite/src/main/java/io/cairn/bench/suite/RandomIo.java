package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * 4 KiB reads, then 4 KiB writes, at random aligned offsets of one file, one at a time (queue
 * depth 1, so latency and IOPS tell the same story from two sides). Each phase stops at its op
 * count or its time cap, whichever comes first, so a slow target still finishes. Writes are
 * buffered with one fsync at the end, counted in the IOPS but not in the per-write latencies.
 */
public final class RandomIo implements Workload {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        SuiteSizes s = ctx.sizes();
        Path file = ctx.dir().resolve("random.dat");
        long blocks = s.randomFileBytes() / SuiteSizes.BLOCK;
        ctx.step("prepare a " + s.randomFileBytes() / (1 << 20) + " MiB file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Io.fill(ch, Io.randomBuffer(SuiteSizes.PIECE, new SplittableRandom(2)), s.randomFileBytes(), ctx);
        }
        ctx.dropCaches();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ctx.step("4 KiB random reads");
            phase(ctx, "read", ch, blocks, new SplittableRandom(3), false);
            ctx.step("4 KiB random writes");
            phase(ctx, "write", ch, blocks, new SplittableRandom(4), true);
        }
    }

    private static void phase(WorkloadContext ctx, String metric, FileChannel ch, long blocks, SplittableRandom random,
                              boolean write) throws IOException {
        int ops = ctx.sizes().randomOps();
        long cap = ctx.sizes().randomTimeCap().toNanos();
        ByteBuffer buf = write ? Io.randomBuffer(SuiteSizes.BLOCK, new SplittableRandom(5))
                : ByteBuffer.allocateDirect(SuiteSizes.BLOCK);
        Latencies lat = new Latencies(ops);
        long start = System.nanoTime();
        long now = start;
        for (int i = 0; i < ops && now - start < cap; i++) {
            long position = random.nextLong(blocks) * SuiteSizes.BLOCK;
            buf.clear();
            if (write) {
                Io.writeFully(ch, buf, position);
            } else {
                Io.readFully(ch, buf, position);
            }
            long end = System.nanoTime();
            lat.record(end - now);
            now = end;
            ctx.advance(i + 1, ops);
        }
        if (write) {
            ch.force(true);
            now = System.nanoTime();
        }
        ctx.figure(metric + " IOPS", Rates.perSecond(lat.count(), now - start), "IOPS", Better.HIGHER);
        ctx.figure(metric + " p50", Rates.micros(lat.percentile(50)), "µs", Better.LOWER);
        ctx.figure(metric + " p99", Rates.micros(lat.percentile(99)), "µs", Better.LOWER);
    }
}
