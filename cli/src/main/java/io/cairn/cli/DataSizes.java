package io.cairn.cli;

import picocli.CommandLine.TypeConversionException;

/** Data sizes as people write them: 65536, 64KiB, 1MiB, 64MiB, 1GiB (K, M, G are binary too). */
final class DataSizes {

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
        try {
            return io.cairn.common.DataSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
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
