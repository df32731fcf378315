package io.cairn.bench.suite;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the suite on one target: what was measured, where, when, on what machine, at what
 * sizes, and whether caches could be dropped before reads (if not, read figures may come from
 * the page cache and say little about the store).
 *
 * @param fsType the target's file system type as the kernel names it (ext4, fuse.bindfs, fuse.glusterfs)
 * @param fsSource what is mounted there (a device, a host:/volume)
 * @param checks yes/no outcomes that must all be yes (data read back matched)
 * @param notes sentences from the workloads, each starting with the workload's name: a skipped
 *     workload and why, the version of an outside tool a figure depends on
 */
public record SuiteResult(String label, String target, String fsType, String fsSource, Instant date, double seconds,
                          Machine machine, SuiteSizes sizes, boolean cachesDropped, String cacheNote,
                          List<Figure> figures, Map<String, Boolean> checks, List<String> notes) {
    public SuiteResult {
        figures = List.copyOf(figures);
        notes = List.copyOf(notes);
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));  // keeps the suite's order
    }

    public boolean checksPassed() {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }
}
