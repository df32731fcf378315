package io.cairn.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Do independent writers scale? 4 KiB creates (open, write, close, as in {@link SmallFiles}) by
 * one writer in its own directory, then by {@link #WRITERS} writers at once, each in its own
 * directory (threads of this JVM, started together; the time runs until the last is done).
 * Figures: creates/s of each (aggregate) and the ratio of four to one. With a second mount of
 * the target ({@link WorkloadContext#secondDir()}) it runs the four writers again with half of
 * them on that mount; without one, that figure is skipped with a note.
 */
public final class ParallelCreates implements Workload {
    static final int WRITERS = 4;
    private static final long POLL_MILLIS = 100;

    @Override
    public String name() {
        return "parallel-creates";
    }

    @Override
    public void run(WorkloadContext ctx) throws IOException {
        int n = ctx.sizes().parallelFiles();
        ByteBuffer data = Io.randomBuffer(SuiteSizes.BLOCK, new SplittableRandom(7));

        double one = creates(ctx, "1 writer", List.of(ctx.dir().resolve("one")), n, data);
        creates(ctx, WRITERS + " writers", dirs(ctx.dir(), ctx.dir(), "w"), n, data, one);

        Optional<Path> second = ctx.secondDir();
        if (second.isEmpty()) {
            ctx.note("the two-mount figure is skipped: no second mount of the target was given (--second-target)");
            return;
        }
        creates(ctx, WRITERS + " writers 2 mounts", dirs(ctx.dir(), second.get(), "m"), n, data, one);
    }

    /** As {@link #creates(WorkloadContext, String, List, int, ByteBuffer)}, and the ratio to {@code one} writer's rate. */
    private static void creates(WorkloadContext ctx, String label, List<Path> dirs, int n, ByteBuffer data, double one)
            throws IOException {
        ctx.figure(label + " / 1 writer", creates(ctx, label, dirs, n, data) / one, "x", Better.HIGHER);
    }

    /** {@link #WRITERS} directories named {@code prefix0...}: the first half through {@code a}, the rest through {@code b}. */
    static List<Path> dirs(Path a, Path b, String prefix) {
        List<Path> dirs = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            dirs.add((w < WRITERS / 2 ? a : b).resolve(prefix + w));
        }
        return dirs;
    }

    /**
     * Creates {@code n} files in each of {@code dirs} at once, one writer each, and records the
     * aggregate creates per second as the figure {@code label}; returns it. Checks afterwards
     * (untimed) that each directory holds its files.
     */
    private static double creates(WorkloadContext ctx, String label, List<Path> dirs, int n, ByteBuffer data)
            throws IOException {
        ctx.step(label + ", " + n + " files each");
        for (Path d : dirs) {
            Files.createDirectory(d);
        }
        long total = (long) n * dirs.size();
        AtomicLong done = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(dirs.size());
        long nanos;
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (Path d : dirs) {
                ByteBuffer mine = data.duplicate();
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < n; i++) {
                        SmallFiles.create(d.resolve(String.format("f%06d", i)), mine);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            pool.shutdown();
            long start = System.nanoTime();
            go.countDown();
            while (!pool.awaitTermination(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                ctx.advance(done.get(), total);
            }
            nanos = System.nanoTime() - start;
            for (Future<?> w : writers) {
                w.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the writers ran", e);
        } finally {
            pool.shutdownNow();
        }
        double rate = Rates.perSecond(total, nanos);
        ctx.figure(label, rate, "creates/s", Better.HIGHER);
        boolean all = true;
        for (Path d : dirs) {
            try (Stream<Path> files = Files.list(d)) {
                all &= files.count() == n;
            }
        }
        ctx.check(label + " made every file", all);
        return rate;
    }
}
