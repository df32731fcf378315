package io.cairn.bench.suite;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small results for the comparison tests. */
final class TestResults {
    static final Machine MACHINE = new Machine("vm", "Linux 6.1 amd64", "AMD EPYC", 2, 24L << 30, "OpenJDK 25");

    private TestResults() {
    }

    static SuiteResult result(String label, Figure... figures) {
        return result(label, SuiteSizes.quick(), true, figures);
    }

    static SuiteResult result(String label, SuiteSizes sizes, boolean dropped, Figure... figures) {
        return new SuiteResult(label, "/mnt/" + label, "fuse." + label, label + "-source",
                Instant.parse("2026-11-24T18:00:00Z"), 12.5, MACHINE, sizes, dropped,
                dropped ? "sync; echo 3 > /proc/sys/vm/drop_caches before each read phase" : "caches not dropped (disabled)",
                List.of(figures), Map.of("checksum sha256 matches", true), List.of());
    }

    /** {@code r} with these workload notes. */
    static SuiteResult withNotes(SuiteResult r, String... notes) {
        return new SuiteResult(r.label(), r.target(), r.fsType(), r.fsSource(), r.date(), r.seconds(), r.machine(),
                r.sizes(), r.cachesDropped(), r.cacheNote(), r.figures(), r.checks(), List.of(notes));
    }

    static Figure higher(String key, double value) {
        String[] w = key.split(" ", 2);
        return new Figure(w[0], w[1], value, "MiB/s", Better.HIGHER);
    }

    static Figure lower(String key, double value) {
        String[] w = key.split(" ", 2);
        return new Figure(w[0], w[1], value, "µs", Better.LOWER);
    }
}
