package io.cairn.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the workloads one after the other in a fresh directory under the target (one
 * subdirectory each) and removes it afterwards, whether the run succeeded or not.
 */
public final class SuiteRunner {
    private final SuiteSizes sizes;
    private final Progress progress;
    private final CacheDropper caches;
    private final List<Workload> workloads;
    private final Path secondTarget;

    public SuiteRunner(SuiteSizes sizes, Progress progress, CacheDropper caches) {
        this(sizes, progress, caches, standard());
    }

    /** A runner of some of the workloads only (see {@link #select}): for profiling one of them. */
    public SuiteRunner(SuiteSizes sizes, Progress progress, CacheDropper caches, List<Workload> workloads) {
        this(sizes, progress, caches, workloads, null);
    }

    private SuiteRunner(SuiteSizes sizes, Progress progress, CacheDropper caches, List<Workload> workloads,
                        Path secondTarget) {
        this.sizes = sizes;
        this.progress = progress;
        this.caches = caches;
        this.workloads = List.copyOf(workloads);
        this.secondTarget = secondTarget;
    }

    /**
     * This runner with a second mount of the target: {@code second} must show the directory
     * {@link #run} is given, through another mount (of the same volume, or bindfs of the same
     * source). Workloads that use it see it as {@link WorkloadContext#secondDir()}.
     */
    public SuiteRunner secondTarget(Path second) {
        return new SuiteRunner(sizes, progress, caches, workloads, second.toAbsolutePath().normalize());
    }

    /** The suite a run without {@code --workloads} runs, in its order. */
    public static List<Workload> standard() {
        return List.of(new SequentialIo(), new RandomIo(), new SmallFiles(), new Directories(), new Listing(),
                new ChecksumRoundTrip(), new GitCommit());
    }

    /**
     * Every workload, in the order they run: the standard suite, then issue 12's tar and
     * parallel creates. Those two run only when named ({@code --workloads}): on a Cairn mount
     * of today they would make the quick run several times longer (see docs/benchmarks.md).
     */
    public static List<Workload> all() {
        List<Workload> all = new ArrayList<>(standard());
        all.addAll(List.of(new TarTree(), new ParallelCreates()));
        return List.copyOf(all);
    }

    /**
     * The workloads with these names, in the order of {@link #all()}; IllegalArgumentException
     * naming the valid ones if a name is unknown.
     */
    public static List<Workload> select(List<String> names) {
        List<Workload> all = all();
        List<String> known = all.stream().map(Workload::name).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new IllegalArgumentException("no workload '" + n + "'; workloads: " + String.join(", ", known));
            }
        }
        return all.stream().filter(w -> names.contains(w.name())).toList();
    }

    /**
     * Runs the suite on {@code target}, a directory of the file store to measure.
     *
     * @throws IllegalArgumentException if the target is not a writable directory or has too little space
     * @throws IOException if a workload fails; the message starts with the workload's name
     */
    public SuiteResult run(Path target, String label) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(target + " is not a directory: pass a directory of the file store to measure, e.g. its mount point");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(target + " is not writable: pass a directory you can create files in");
        }
        FileStore store = Files.getFileStore(dir);
        // A store that reports no total size at all (some FUSE file systems) is not refused.
        if (store.getTotalSpace() > 0 && store.getUsableSpace() < sizes.bytesNeeded()) {
            throw new IllegalArgumentException(target + " has " + (store.getUsableSpace() >> 20) + " MiB free, the "
                    + sizes.name() + " suite needs " + (sizes.bytesNeeded() >> 20) + " MiB: free some space"
                    + (sizes.name().equals("quick") ? "" : " or use --quick"));
        }
        Instant date = Instant.now();
        long start = System.nanoTime();
        List<Figure> figures = new ArrayList<>();
        Map<String, Boolean> checks = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        boolean dropped = true;
        if (secondTarget != null && !Files.isDirectory(secondTarget)) {
            throw new IllegalArgumentException(secondTarget + " (the second target) is not a directory: pass a second mount of the same directory");
        }
        Path root = Files.createTempDirectory(dir, "cairn-bench-");
        try {
            Path secondRoot = secondTarget == null ? null : secondTarget.resolve(dir.relativize(root));
            if (secondRoot != null && !Files.isDirectory(secondRoot)) {
                throw new IllegalArgumentException(secondTarget + " (the second target) does not show " + root
                        + ", made just now under " + dir + ": pass a second mount of the same directory");
            }
            for (int i = 0; i < workloads.size(); i++) {
                Workload w = workloads.get(i);
                Path wdir = Files.createDirectory(root.resolve(w.name()));
                WorkloadContext ctx = new WorkloadContext(wdir, secondRoot == null ? null : secondRoot.resolve(w.name()),
                        sizes, progress, caches, i + 1, workloads.size(), w.name());
                try {
                    w.run(ctx);
                } catch (IOException | RuntimeException e) {
                    throw new IOException(w.name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
                }
                figures.addAll(ctx.figures());
                checks.putAll(ctx.checks());
                notes.addAll(ctx.notes());
                dropped &= ctx.cachesDropped();
                progress.step(i + 1, workloads.size(), w.name(), "clean up");
                deleteTree(wdir);
            }
        } finally {
            try {
                deleteTree(root);
            } finally {
                progress.finish();
            }
        }
        return new SuiteResult(label, dir.toString(), store.type(), store.name(), date,
                (System.nanoTime() - start) / 1e9, Machine.current(), sizes, dropped, caches.note(), figures, checks, notes);
    }

    /** Removes a directory and everything below it; a missing one is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
