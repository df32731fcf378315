package io.cairn.bench.suite;

import java.util.Arrays;

/**
 * Per-operation latencies of one phase, in nanoseconds, kept whole (a phase is at most some
 * tens of thousands of operations) so percentiles are exact rather than bucketed.
 * Not thread-safe: one phase records from one thread.
 */
public final class Latencies {
    private long[] nanos;
    private int count;
    private boolean sorted;

    public Latencies(int expected) {
        nanos = new long[Math.max(16, expected)];
    }

    public void record(long n) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = n;
        sorted = false;
    }

    public int count() {
        return count;
    }

    /**
     * The nearest-rank percentile: the smallest recorded value that at least {@code p} percent of
     * the values are less than or equal to. {@code p} in (0, 100].
     */
    public long percentile(double p) {
        if (count == 0) {
            throw new IllegalStateException("no latencies recorded");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is not in (0, 100]");
        }
        if (!sorted) {
            Arrays.sort(nanos, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return nanos[Math.max(rank, 1) - 1];
    }
}
