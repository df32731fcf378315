package io.cairn.bench.suite;

/** Conversions from counts and elapsed nanoseconds to the units figures are written in. */
public final class Rates {
    private static final double NANOS_PER_SECOND = 1e9;

    private Rates() {
    }

    public static double perSecond(long count, long nanos) {
        return count * NANOS_PER_SECOND / Math.max(nanos, 1);
    }

    public static double mibPerSecond(long bytes, long nanos) {
        return perSecond(bytes, nanos) / (1 << 20);
    }

    public static double micros(long nanos) {
        return nanos / 1e3;
    }
}
