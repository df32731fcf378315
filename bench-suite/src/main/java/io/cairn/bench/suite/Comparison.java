package io.cairn.bench.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Results of several targets side by side, each figure also as a ratio to the baseline's. A
 * ratio is always "times better than the baseline": value / baseline where higher is better,
 * baseline / value where lower is better, so above 1 means better whatever the figure.
 *
 * @param labels one per result, in the order given
 * @param rows one per figure, in the order the suite produced them
 * @param checks one per yes/no check; a value is null where a result lacks it
 * @param notes what a reader must know to trust the numbers (caches not dropped, other machines)
 */
public record Comparison(List<String> labels, String baseline, List<Row> rows, List<Check> checks, List<String> notes) {
    /**
     * One figure across the results.
     *
     * @param values one per label, null where that result lacks the figure
     * @param ratios one per label, times better than the baseline; null for the baseline itself
     *     and where either value is missing or the ratio is undefined (a zero)
     */
    public record Row(String key, String unit, Better better, List<Double> values, List<Double> ratios) {
    }

    public record Check(String key, List<Boolean> values) {
    }

    /**
     * Lines the results up. IllegalArgumentException when they cannot be compared: no results,
     * two with one label, an unknown baseline, or results taken at different sizes.
     */
    public static Comparison of(List<SuiteResult> results, String baseline) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results to compare");
        }
        List<String> labels = new ArrayList<>();
        for (SuiteResult r : results) {
            if (labels.contains(r.label())) {
                throw new IllegalArgumentException("two results are labelled '" + r.label()
                        + "': run the suite again with distinct --label values");
            }
            labels.add(r.label());
        }
        String base = baseline == null ? labels.get(0) : baseline;
        int b = labels.indexOf(base);
        if (b < 0) {
            throw new IllegalArgumentException("no result is labelled '" + base + "'; labels: " + String.join(", ", labels));
        }
        SuiteSizes sizes = results.get(0).sizes();
        for (SuiteResult r : results) {
            if (!r.sizes().equals(sizes)) {
                throw new IllegalArgumentException("'" + r.label() + "' was taken with the " + r.sizes().name()
                        + " sizes and '" + labels.get(0) + "' with the " + sizes.name()
                        + " sizes: compare results taken at the same sizes (all --quick or none)");
            }
        }

        Map<String, Figure> first = new LinkedHashMap<>();
        for (SuiteResult r : results) {
            for (Figure f : r.figures()) {
                first.putIfAbsent(f.key(), f);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Figure f : first.values()) {
            List<Double> values = new ArrayList<>();
            for (SuiteResult r : results) {
                values.add(r.figures().stream().filter(g -> g.key().equals(f.key())).map(Figure::value)
                        .findFirst().orElse(null));
            }
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                ratios.add(i == b ? null : ratio(f.better(), values.get(i), values.get(b)));
            }
            rows.add(new Row(f.key(), f.unit(), f.better(), values, ratios));
        }

        Set<String> checkKeys = new LinkedHashSet<>();
        results.forEach(r -> checkKeys.addAll(r.checks().keySet()));
        List<Check> checks = new ArrayList<>();
        for (String k : checkKeys) {
            checks.add(new Check(k, results.stream().map(r -> r.checks().get(k)).toList()));
        }

        List<String> notes = new ArrayList<>();
        for (SuiteResult r : results) {
            if (!r.cachesDropped()) {
                notes.add(r.label() + ": " + r.cacheNote() + "; its read figures may come from the page cache");
            }
        }
        Map<String, List<String>> labelsByNote = new LinkedHashMap<>();  // one line for a note several results share
        for (SuiteResult r : results) {
            r.notes().forEach(n -> labelsByNote.computeIfAbsent(n, k -> new ArrayList<>()).add(r.label()));
        }
        labelsByNote.forEach((note, by) -> notes.add(String.join(", ", by) + ": " + note));
        if (results.stream().map(r -> r.machine().host()).distinct().count() > 1) {
            notes.add("the results come from different machines: ratios compare the machines as much as the stores");
        }
        return new Comparison(List.copyOf(labels), base, rows, checks, notes);
    }

    /** Times better {@code value} is than {@code base}; null if undefined. */
    static Double ratio(Better better, Double value, Double base) {
        if (value == null || base == null) {
            return null;
        }
        double num = better == Better.HIGHER ? value : base;
        double den = better == Better.HIGHER ? base : value;
        if (den <= 0 || num < 0 || !Double.isFinite(num) || !Double.isFinite(den)) {
            return null;
        }
        return num / den;
    }

    public int baselineIndex() {
        return labels.indexOf(baseline);
    }

    /** The labels other than the baseline, in order: one ratio column each. */
    public List<String> compared() {
        return labels.stream().filter(l -> !Objects.equals(l, baseline)).toList();
    }
}
