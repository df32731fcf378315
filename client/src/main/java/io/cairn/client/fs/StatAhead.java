package io.cairn.client.fs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When to read a whole directory ahead of the lookups in it (Lustre's statahead): a run of
 * lookups that find names the cache does not hold, in one directory, is a stat of every file
 * ({@code ls -l} or {@code find} after the caches were dropped, rsync, a build); one listing with
 * attributes, many entries per round trip, then answers the rest of the run from the cache.
 * Lookups of names that do not exist (a run of creates) do not count. A directory is read ahead
 * at most once per {@code ttl}, so one larger than a read-ahead is not listed over and over.
 * Thread-safe.
 */
final class StatAhead {
    /** Lookups that missed in a row before the directory is read ahead. */
    static final int RUN = 8;
    /** Entries read ahead at most (the rest of a larger directory is looked up one by one). */
    static final int MAX_ENTRIES = 20_000;
    private static final int MAX_DIRECTORIES = 4096;

    private record Run(int misses, long lastReadAhead) {
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<Long, Run> runs = new ConcurrentHashMap<>();

    StatAhead(long ttlNanos, LongSupplier nanoClock) {
        this.ttlNanos = ttlNanos;
        this.clock = nanoClock;
    }

    /** A lookup in {@code dir} found a name the cache did not hold: true if it is time to read ahead. */
    boolean missed(long dir) {
        if (ttlNanos <= 0) {
            return false;  // nothing would be kept
        }
        if (runs.size() >= MAX_DIRECTORIES) {
            runs.clear();
        }
        long now = clock.getAsLong();
        boolean[] due = {false};
        runs.compute(dir, (d, r) -> {
            int misses = (r == null ? 0 : r.misses()) + 1;
            long last = r == null ? now - ttlNanos : r.lastReadAhead();
            if (misses >= RUN && now - last >= ttlNanos) {
                due[0] = true;
                return new Run(0, now);
            }
            return new Run(misses, last);
        });
        return due[0];
    }
}
