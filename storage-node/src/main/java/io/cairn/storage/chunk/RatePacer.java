package io.cairn.storage.chunk;

/**
 * Keeps a stream of work at or under a byte rate by sleeping when it runs ahead: scrub passes
 * and repair copies use it so they do not crowd out clients. Not thread-safe: one per stream.
 */
public final class RatePacer {
    private final long bytesPerSecond;
    private final long started = System.nanoTime();
    private long bytes;

    /** {@code bytesPerSecond} 0 means unlimited. */
    public RatePacer(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Counts {@code n} more bytes done and sleeps until they are within the rate. */
    public void pace(long n) {
        bytes += n;
        if (bytesPerSecond <= 0) {
            return;
        }
        long dueNanos = (long) (bytes * 1e9 / bytesPerSecond);
        long aheadNanos = dueNanos - (System.nanoTime() - started);
        if (aheadNanos > 0) {
            try {
                Thread.sleep(aheadNanos / 1_000_000, (int) (aheadNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
