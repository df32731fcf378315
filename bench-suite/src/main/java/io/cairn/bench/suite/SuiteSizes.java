package io.cairn.bench.suite;

import java.time.Duration;

/**
 * How much work each workload does. {@link #full()} is the suite of record; {@link #quick()} is
 * the same shape scaled down for smoke tests. Results are only comparable at equal sizes.
 *
 * @param sequentialBytes file written in 1 MiB pieces (fsync at the end), then read back
 * @param randomFileBytes file the 4 KiB random reads and writes land in
 * @param randomOps random reads, then as many random writes, each capped by {@code randomTimeCap}
 * @param randomTimeCap longest time each random phase may take: a slow target does fewer ops
 * @param smallFiles 4 KiB files created, stat'ed, read and deleted
 * @param directories directories made, renamed and removed
 * @param listedEntries entries of the directory listed with a stat of each ({@code ls -l})
 * @param checksumBytes random bytes written, read back and compared by SHA-256
 * @param gitFiles small files of the tree that {@code git init}, {@code add -A} and {@code commit} take in
 * @param tarFiles small files of the tarball {@code tar xf} extracts and {@code rm -rf} removes
 * @param parallelFiles 4 KiB files each writer of the parallel-creates workload makes (one writer, then four)
 */
public record SuiteSizes(String name, long sequentialBytes, long randomFileBytes, int randomOps,
                         Duration randomTimeCap, int smallFiles, int directories, int listedEntries,
                         long checksumBytes, int gitFiles, int tarFiles, int parallelFiles) {
    public static final int PIECE = 1 << 20;
    public static final int BLOCK = 4096;

    public static SuiteSizes full() {
        return new SuiteSizes("full", 1L << 30, 256L << 20, 20_000, Duration.ofSeconds(60),
                5_000, 2_000, 10_000, 256L << 20, 500, 20_000, 2_000);
    }

    public static SuiteSizes quick() {
        return new SuiteSizes("quick", 64L << 20, 16L << 20, 2_000, Duration.ofSeconds(10),
                500, 200, 1_000, 8L << 20, 100, 2_000, 200);
    }

    /** Bytes the suite needs free on the target at once: the largest file plus some room. */
    public long bytesNeeded() {
        return Math.max(sequentialBytes, Math.max(randomFileBytes, checksumBytes)) + (64L << 20);
    }
}
