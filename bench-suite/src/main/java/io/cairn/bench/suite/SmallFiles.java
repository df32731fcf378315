package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.SplittableRandom;

/**
 * Many 4 KiB files in one directory: create (open, write, close), then, after dropping the
 * caches as if another process came later, stat, read, and delete each in turn. Each step is
 * a rate of files per second.
 */
public final class SmallFiles implements Workload {
    @Override
    public String name() {
        return "small-files";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        int n = ctx.sizes().smallFiles();
        ByteBuffer data = Io.randomBuffer(SuiteSizes.BLOCK, new SplittableRandom(6));

        ctx.step("create " + n + " files of 4 KiB");
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            create(file(ctx, i), data);
            ctx.advance(i + 1, n);
        }
        rate(ctx, "create", n, start);

        ctx.dropCaches();
        ctx.step("stat");
        long bytes = 0;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bytes += Files.readAttributes(file(ctx, i), BasicFileAttributes.class).size();
            ctx.advance(i + 1, n);
        }
        rate(ctx, "stat", n, start);
        ctx.check("stat sizes", bytes == (long) n * SuiteSizes.BLOCK);

        ctx.step("read");
        ByteBuffer buf = ByteBuffer.allocateDirect(SuiteSizes.BLOCK);
        boolean whole = true;
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (FileChannel ch = FileChannel.open(file(ctx, i), StandardOpenOption.READ)) {
                Io.readFully(ch, buf.clear(), 0);
                whole &= ch.read(ByteBuffer.allocate(1), SuiteSizes.BLOCK) < 0;
            }
            ctx.advance(i + 1, n);
        }
        rate(ctx, "read", n, start);
        ctx.check("read sizes", whole);

        ctx.step("delete");
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Files.delete(file(ctx, i));
            ctx.advance(i + 1, n);
        }
        rate(ctx, "delete", n, start);
    }

    /** One small-file create as an application does it: open a new file, write {@code data} whole, close. */
    static void create(Path file, ByteBuffer data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Io.writeFully(ch, data.clear());
        }
    }

    private static Path file(WorkloadContext ctx, int i) {
        return ctx.dir().resolve(String.format("f%06d", i));
    }

    static void rate(WorkloadContext ctx, String metric, int n, long start) {
        ctx.figure(metric, Rates.perSecond(n, System.nanoTime() - start), "ops/s", Better.HIGHER);
    }
}
