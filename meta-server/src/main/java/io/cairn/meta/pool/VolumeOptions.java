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

    private record Option(String defaultValue, String allowed, Predicate<String> valid) {
    }

    private static final Map<String, Option> OPTIONS = new TreeMap<>(Map.of(
            DURABILITY, new Option("fsync-on-request", "fsync-on-request or always",
                    v -> v.equals("fsync-on-request") || v.equals("always")),
            ALLOW_SAME_NODE, new Option("off", "on or off", v -> v.equals("on") || v.equals("off"))));

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

    /** Every option with its value for the volume, defaults filled in. */
    public static Map<String, String> effective(Map<String, String> set) {
        Map<String, String> out = new TreeMap<>();
        OPTIONS.forEach((k, o) -> out.put(k, set.getOrDefault(k, o.defaultValue())));
        return out;
    }
}
