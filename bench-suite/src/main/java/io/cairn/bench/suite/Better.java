package io.cairn.bench.suite;

/** Which way a figure improves: throughput and rates are better higher, latencies lower. */
public enum Better {
    HIGHER,
    LOWER;

    /** The name written in results and tables: "higher" or "lower". */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Better of(String word) {
        return valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }
}
