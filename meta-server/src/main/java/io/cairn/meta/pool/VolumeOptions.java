package io.cairn.meta.pool;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The options a volume accepts with `volume set`, each with its default and the values it takes. */
public final class VolumeOptions {
    public static final String DURABILITY = "durability";
    /** Set by `volume create ... force`: replicas may share a node when too few nodes are live. */
    public static final String ALLOW_SAME_NODE = "allow-same-node";
    /** Files whose bytes all lie below this size keep them with their metadata (0: off). */
    public static final String INLINE_SIZE = "inline-size";
    /** The largest inline-size: an inline commit carries up to this much in one log entry. */
    public static final long MAX_INLINE_SIZE = 1 << 20;

    private record Option(String defaultValue, String allowed, Predicate<String> valid) {
    }

    private static final Map<String, Option> OPTIONS = new TreeMap<>(Map.of(
            DURABILITY, new Option("fsync-on-request", "fsync-on-request or always",
                    v -> v.equals("fsync-on-request") || v.equals("always")),
            ALLOW_SAME_NODE, new Option("off", "on or off", v -> v.equals("on") || v.equals("off")),
            INLINE_SIZE, new Option("64KiB", "a size from 0 (off) to 1MiB, e.g. 64KiB", VolumeOptions::validInlineSize)));

    private VolumeOptions() {
    }

    public static void check(String key, String value) throws CairnException {
        Option o = OPTIONS.get(key);
        if (o == null) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "unknown volume option '" + key
                    + "'; valid options: " + String.join(", ", OPTIONS.keySet()) + ", min-size");
        }
        if (!o.valid().test(value)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "invalid value '" + value + "' for option " + key + ": use " + o.allowed());
        }
    }

    private static boolean validInlineSize(String v) {
        try {
            long n = io.cairn.common.DataSizes.parse(v);
            return n >= 0 && n <= MAX_INLINE_SIZE;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The volume's inline-size in bytes (the default where it is not set). */
    public static long inlineSize(Map<String, String> set) {
        String v = set.get(INLINE_SIZE);
        return io.cairn.common.DataSizes.parse(v != null ? v : OPTIONS.get(INLINE_SIZE).defaultValue());
    }

    /** Every option with its value for the volume, defaults filled in. */
    public static Map<String, String> effective(Map<String, String> set) {
        Map<String, String> out = new TreeMap<>();
        OPTIONS.forEach((k, o) -> out.put(k, set.getOrDefault(k, o.defaultValue())));
        return out;
    }
}
