package io.cairn.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Comparison} as text: aligned columns for a terminal, or a Markdown table for docs.
 * One row per figure with its unit and direction, one column per label, then one ratio column
 * per label against the baseline.
 */
public final class ComparisonTable {
    private ComparisonTable() {
    }

    public static String text(Comparison c) {
        List<String[]> rows = cells(c);
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                // names and words to the left, numbers to the right
                String fmt = i < 3 ? "%-" + width[i] + "s" : "%" + width[i] + "s";
                line.append("  ").append(String.format(fmt, r[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(footer(c));
        return sb.toString();
    }

    public static String markdown(Comparison c) {
        List<String[]> rows = cells(c);
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            sb.append('|');
            for (String cell : r) {
                sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
            if (n == 0) {
                sb.append('|');
                for (int i = 0; i < r.length; i++) {
                    sb.append(i < 3 ? "---|" : "---:|");
                }
                sb.append('\n');
            }
        }
        sb.append('\n').append(footer(c));
        return sb.toString();
    }

    private static String footer(Comparison c) {
        StringBuilder sb = new StringBuilder();
        if (!c.compared().isEmpty()) {
            sb.append("Ratios: times better than ").append(c.baseline())
                    .append(" (value/baseline where higher is better, baseline/value where lower is better; above 1 = better).\n");
        }
        for (String note : c.notes()) {
            sb.append("Note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    static List<String[]> cells(Comparison c) {
        List<String> compared = c.compared();
        List<String[]> out = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("figure", "unit", "better"));
        header.addAll(c.labels());
        compared.forEach(l -> header.add(l + "/" + c.baseline()));
        out.add(header.toArray(String[]::new));
        for (Comparison.Row r : c.rows()) {
            List<String> cells = new ArrayList<>(List.of(r.key(), r.unit(), r.better().word()));
            r.values().forEach(v -> cells.add(number(v)));
            for (int i = 0; i < c.labels().size(); i++) {
                if (i != c.baselineIndex()) {
                    cells.add(ratio(r.ratios().get(i)));
                }
            }
            out.add(cells.toArray(String[]::new));
        }
        for (Comparison.Check k : c.checks()) {
            List<String> cells = new ArrayList<>(List.of(k.key(), "check", "yes"));
            k.values().forEach(v -> cells.add(v == null ? "-" : v ? "yes" : "NO"));
            compared.forEach(l -> cells.add(""));
            out.add(cells.toArray(String[]::new));
        }
        return out;
    }

    /** Three significant digits or more, thousands grouped: 1,234  123  12.3  1.23  0.123. */
    static String number(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String ratio(Double r) {
        if (r == null) {
            return "-";
        }
        if (r < 0.01) {
            return "<0.01x";
        }
        return String.format(Locale.ROOT, r >= 10 ? "%.1fx" : "%.2fx", r);
    }
}
