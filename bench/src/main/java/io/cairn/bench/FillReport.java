package io.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * When a fill reports and at what rate: points at {@code window} files (a cold start: the JIT is
 * still compiling), at twice that (the empty-volume rate) and then every {@code every} files,
 * each with the create rate over the last {@code window} creates before it, so that every
 * point's rate is over the same number of creates. Fed the growing count of creates done.
 */
final class FillReport {
    private final long window;
    private final long every;
    private final long start = System.nanoTime();
    private long nextPoint;
    private long windowStartNanos = start;
    private boolean windowStarted = true;
    private long lastPoint;
    private long lastPointNanos = start;

    FillReport(long window, long every) {
        if (window <= 0 || every < 2 * window || every % window != 0) {
            throw new IllegalArgumentException("the report interval " + every
                    + " must be a multiple of the rate window " + window + ", at least twice it");
        }
        this.window = window;
        this.every = every;
        this.nextPoint = window;
    }

    /** The report point after {@code point}: window, 2 x window, then the multiples of every. */
    long pointAfter(long point) {
        return point < 2 * window ? point + window : (point / every + 1) * every;
    }

    /** Call with the creates done so far; true if a report point was reached: report, then call {@link #next}. */
    boolean reached(long done) {
        if (!windowStarted && done >= nextPoint - window) {
            windowStartNanos = System.nanoTime();
            windowStarted = true;
        }
        return done >= nextPoint;
    }

    /** After a report at {@code done} creates: on to the next point. */
    void next(long done) {
        lastPoint = done;
        lastPointNanos = System.nanoTime();
        nextPoint = pointAfter(nextPoint);
        windowStarted = false;
        reached(done);
    }

    /** Creates per second over the window that ended now. */
    double rate() {
        return window * 1e9 / Math.max(1, System.nanoTime() - windowStartNanos);
    }

    /** Creates per second since the previous point (all of them, flushes and compactions included), up to {@code done}. */
    double averageRate(long done) {
        return (done - lastPoint) * 1e9 / Math.max(1, System.nanoTime() - lastPointNanos);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The resident set size of a process, from /proc (Linux), in MiB; -1 if it is gone. */
    static double rssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Bytes of every file under {@code dir} (what it takes on disk, near enough). */
    static long diskBytes(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
