package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Namespace changes without data: mkdir, rename (atomic, same parent) and rmdir of many directories. */
public final class Directories implements Workload {
    @Override
    public String name() {
        return "directories";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        int n = ctx.sizes().directories();
        ctx.step("mkdir " + n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Files.createDirectory(path(ctx, "d", i));
            ctx.advance(i + 1, n);
        }
        SmallFiles.rate(ctx, "mkdir", n, start);

        ctx.step("rename");
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Files.move(path(ctx, "d", i), path(ctx, "r", i), StandardCopyOption.ATOMIC_MOVE);
            ctx.advance(i + 1, n);
        }
        SmallFiles.rate(ctx, "rename", n, start);

        ctx.step("rmdir");
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Files.delete(path(ctx, "r", i));
            ctx.advance(i + 1, n);
        }
        SmallFiles.rate(ctx, "rmdir", n, start);
    }

    private static Path path(WorkloadContext ctx, String prefix, int i) {
        return ctx.dir().resolve(String.format("%s%06d", prefix, i));
    }
}
