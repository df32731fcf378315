package io.cairn.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/** Data sizes as people write them: 65536, 64KiB, 1MiB, 64MiB, 1GiB (K, M, G are binary too). */
final class DataSizes {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|K|KiB|KB|M|MiB|MB|G|GiB|GB)?", Pattern.CASE_INSENSITIVE);

    private DataSizes() {
    }

    /** For options that take a size. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }
    }

    static long parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new TypeConversionException("invalid size '" + text + "': use a number of bytes or a number with KiB, MiB or GiB, e.g. 64MiB");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("invalid size '" + text + "': too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase();
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new TypeConversionException("invalid size '" + text + "': too large");
        }
        return n << shift;
    }

    /** The size in the largest binary unit that keeps it exact, as the parser reads it: 64MiB, 1536KiB, 100. */
    static String formatExact(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** The size in the largest binary unit that keeps it readable: 64 MiB, 1.5 GiB, 512 B. */
    static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v) ? String.format("%d %s", (long) v, units[u]) : String.format("%.1f %s", v, units[u]);
    }
}
