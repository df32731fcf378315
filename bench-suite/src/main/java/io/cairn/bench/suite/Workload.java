package io.cairn.bench.suite;

import java.io.IOException;

/**
 * One kind of load on the target, measured through java.nio so that the same JVM code measures
 * every file store. A workload works in the empty directory its context gives it, reports
 * figures through the context, and may leave files behind (the runner removes the directory).
 * Deterministic apart from timing: random offsets and data come from fixed seeds.
 */
public interface Workload {
    /** A short name, used as the first word of every figure's key: {@code sequential-write}. */
    String name();

    void run(WorkloadContext ctx) throws IOException;
}
