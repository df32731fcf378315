package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What {@code ls -l} does to a large directory: read every entry and lstat each one (mode,
 * links, owner and group ids, size, mtime; names of owners are not looked up). Once with cold
 * caches, once again warm. The entries are empty files made beforehand, untimed.
 */
public final class Listing implements Workload {
    private static final String ATTRIBUTES = "unix:mode,nlink,uid,gid,size,lastModifiedTime";

    @Override
    public String name() {
        return "ls-l";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        int n = ctx.sizes().listedEntries();
        ctx.step("prepare " + n + " entries");
        for (int i = 0; i < n; i++) {
            Files.createFile(ctx.dir().resolve(String.format("e%06d", i)));
            ctx.advance(i + 1, n);
        }
        ctx.dropCaches();
        ctx.step("list and stat, cold");
        list(ctx, "cold", n);
        ctx.step("list and stat, warm");
        list(ctx, "warm", n);
    }

    private static void list(WorkloadContext ctx, String metric, int n) throws IOException {
        int seen = 0;
        long start = System.nanoTime();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(ctx.dir())) {
            for (Path p : entries) {
                Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                ctx.advance(++seen, n);
            }
        }
        ctx.figure(metric, Rates.perSecond(seen, System.nanoTime() - start), "entries/s", Better.HIGHER);
        ctx.check(metric + " entry count", seen == n);
    }
}
