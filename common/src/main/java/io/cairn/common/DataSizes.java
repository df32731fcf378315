package io.cairn.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Data sizes as people write them: 65536, 64KiB, 1MiB, 64MiB, 1GiB (K, M, G are binary too). */
public final class DataSizes {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|K|KiB|KB|M|MiB|MB|G|GiB|GB)?", Pattern.CASE_INSENSITIVE);

    private DataSizes() {
    }

    /** The bytes {@code text} means; IllegalArgumentException with a one-line reason if it is no size. */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text
                    + "': use a number of bytes or a number with KiB, MiB or GiB, e.g. 64MiB");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size '" + text + "': too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase();
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("invalid size '" + text + "': too large");
        }
        return n << shift;
    }
}
