package io.cairn.bench.suite;

import java.util.List;
import java.util.Locale;

/**
 * A {@link Comparison}'s ratios as an SVG bar chart: one group of horizontal bars per figure,
 * one bar per compared label, on a log2 scale centred on the baseline (1x), so twice as good and
 * twice as bad are bars of the same length on either side. Plain SVG 1.1 text, no scripts.
 */
public final class RatioChart {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int WIDTH = 800;
    private static final int PLOT_LEFT = 260;
    private static final int PLOT_RIGHT = 740;
    private static final int BAR = 12;
    private static final int GAP = 2;
    private static final int GROUP_GAP = 10;
    private static final int TOP = 64;
    private static final int MAX_EXP = 10;  // ratios beyond 1024x either way are drawn at the edge

    private RatioChart() {
    }

    public static String svg(Comparison c) {
        List<String> compared = c.compared();
        int n = Math.max(compared.size(), 1);
        int group = n * (BAR + GAP) + GROUP_GAP;
        int plotBottom = TOP + c.rows().size() * group;
        int height = plotBottom + 40;

        double lo = -1;
        double hi = 1;
        for (Comparison.Row r : c.rows()) {
            for (Double ratio : r.ratios()) {
                if (ratio != null && ratio > 0) {
                    double e = log2(ratio);
                    lo = Math.min(lo, Math.floor(e));
                    hi = Math.max(hi, Math.ceil(e));
                }
            }
        }
        lo = Math.max(lo, -MAX_EXP);
        hi = Math.min(hi, MAX_EXP);
        Scale x = new Scale(lo, hi);

        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">\n", WIDTH, height, WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
        text(sb, 10, 20, "start", "font-size=\"14\" font-weight=\"bold\"",
                "Times better than " + c.baseline() + " (log scale; right of 1x = better)");
        for (int i = 0; i < compared.size(); i++) {
            int lx = 10 + i * 150;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                    lx, colour(i)));
            text(sb, lx + 16, 42, "start", "", compared.get(i));
        }

        // grid: one line per power of two, labelled below the plot
        int step = hi - lo > 12 ? 2 : 1;
        int first = (int) lo % step == 0 ? (int) lo : (int) lo + 1;  // keep the 1x line when skipping
        for (int e = first; e <= (int) hi; e += step) {
            double gx = x.at(e);
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
                    gx, TOP - 6, gx, plotBottom, e == 0 ? "#000" : "#ddd", e == 0 ? "1.5" : "1"));
            text(sb, gx, plotBottom + 16, "middle", "", tick(e));
        }

        for (int r = 0; r < c.rows().size(); r++) {
            Comparison.Row row = c.rows().get(r);
            int gy = TOP + r * group;
            text(sb, PLOT_LEFT - 8, gy + (n * (BAR + GAP)) / 2.0 + 4, "end", "", row.key().endsWith(row.unit()) ? row.key() : row.key() + " (" + row.unit() + ")");
            int bar = 0;
            for (int i = 0; i < c.labels().size(); i++) {
                if (i == c.baselineIndex()) {
                    continue;
                }
                int by = gy + bar * (BAR + GAP);
                Double ratio = row.ratios().get(i);
                if (ratio == null || ratio <= 0) {
                    text(sb, x.at(0) + 4, by + BAR - 2, "start", "fill=\"#888\"", "n/a");
                } else {
                    double e = Math.max(lo, Math.min(hi, log2(ratio)));
                    double from = Math.min(x.at(0), x.at(e));
                    double w = Math.max(Math.abs(x.at(e) - x.at(0)), 1);
                    sb.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>\n",
                            from, by, w, BAR, colour(bar), escape(c.compared().get(bar) + ": " + ComparisonTable.ratio(ratio))));
                    boolean right = e >= 0;
                    text(sb, right ? from + w + 3 : from - 3, by + BAR - 2, right ? "start" : "end", "font-size=\"10\"",
                            ComparisonTable.ratio(ratio));
                }
                bar++;
            }
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String tick(int e) {
        if (e >= 0) {
            return (1L << e) + "x";
        }
        return "1/" + (1L << -e) + "x";
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static void text(StringBuilder sb, double x, double y, String anchor, String attrs, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n",
                x, y, anchor, attrs.isEmpty() ? "" : " " + attrs, escape(s)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    /** Maps a power of two (the log2 of a ratio) to an x coordinate of the plot. */
    private record Scale(double lo, double hi) {
        double at(double exp) {
            return PLOT_LEFT + (exp - lo) / (hi - lo) * (PLOT_RIGHT - PLOT_LEFT);
        }
    }
}
