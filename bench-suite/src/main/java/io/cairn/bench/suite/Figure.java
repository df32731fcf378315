package io.cairn.bench.suite;

/**
 * One measured number of one workload, e.g. {@code random-read p99 = 412 µs, lower is better}.
 * {@link #key()} names it across results so that runs on different targets line up.
 */
public record Figure(String workload, String metric, double value, String unit, Better better) {
    public String key() {
        return workload + " " + metric;
    }
}
