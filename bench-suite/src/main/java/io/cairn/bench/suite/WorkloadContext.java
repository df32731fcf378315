package io.cairn.bench.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a running workload sees: its directory, the sizes, progress, cache dropping, and where its figures go. */
public final class WorkloadContext {
    private final Path dir;
    private final Path second;
    private final SuiteSizes sizes;
    private final Progress progress;
    private final CacheDropper caches;
    private final int index;
    private final int total;
    private final String workload;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Boolean> checks = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private boolean cachesDropped = true;
    private int cacheDrops;

    WorkloadContext(Path dir, SuiteSizes sizes, Progress progress, CacheDropper caches, int index, int total,
                    String workload) {
        this(dir, null, sizes, progress, caches, index, total, workload);
    }

    WorkloadContext(Path dir, Path second, SuiteSizes sizes, Progress progress, CacheDropper caches, int index,
                    int total, String workload) {
        this.dir = dir;
        this.second = second;
        this.sizes = sizes;
        this.progress = progress;
        this.caches = caches;
        this.index = index;
        this.total = total;
        this.workload = workload;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The same directory as {@link #dir()} seen through a second mount of the target, if the
     * suite was given one: what one client does there another sees, as two machines would.
     */
    public Optional<Path> secondDir() {
        return Optional.ofNullable(second);
    }

    public SuiteSizes sizes() {
        return sizes;
    }

    public void step(String step) {
        progress.step(index, total, workload, step);
    }

    public void advance(long done, long of) {
        progress.advance(done, of);
    }

    /** Drops the kernel's caches before a read phase (see {@link CacheDropper}). */
    public void dropCaches() {
        step("dropping caches");
        cacheDrops++;
        cachesDropped &= caches.drop();
    }

    /** Records a figure of the running workload. */
    public void figure(String metric, double value, String unit, Better better) {
        figures.add(new Figure(workload, metric, value, unit, better));
    }

    /** Records a yes/no outcome that must be yes, e.g. that data read back matched what was written. */
    public void check(String name, boolean ok) {
        checks.put(workload + " " + name, ok);
    }

    /**
     * Records a sentence a reader of the results must see, e.g. that the workload was skipped
     * and why, or a version of an outside tool its figures depend on.
     */
    public void note(String note) {
        notes.add(workload + ": " + note);
    }

    List<Figure> figures() {
        return figures;
    }

    Map<String, Boolean> checks() {
        return checks;
    }

    List<String> notes() {
        return notes;
    }

    /** True when every drop this workload asked for worked (or it asked for none). */
    boolean cachesDropped() {
        return cacheDrops == 0 || cachesDropped;
    }
}
