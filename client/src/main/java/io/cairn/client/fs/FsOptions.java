package io.cairn.client.fs;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of one mounted volume, each default written once here. Immutable; {@link #with} gives
 * a copy with one option changed after validating it, so a mount's {@code -o KEY=VALUE} list and
 * the Java API share one parser.
 *
 * @param ioTimeout      how long a call retries transient errors (leader change, node restart) before failing
 * @param attrTtl        how long attributes read from meta are trusted without asking again (0 disables)
 * @param entryTtl       how long a (directory, name) lookup, found or not, is trusted (0 disables)
 * @param dirtyLimit     written bytes a mount may hold before sending them; writers wait beyond it
 * @param flushThreshold written bytes one file may hold before they are sent (at least 1 MiB)
 * @param readAhead      bytes fetched ahead of a sequential reader
 * @param writeWindow    1 MiB pieces in flight per chunk write
 * @param writeBack      namespace changes in a directory this client leases are made here and sent in batches
 * @param writeBackDelay how long a change made ahead of the meta group waits at most before it is sent
 * @param shortCircuit   replicas on bricks of this host are read from their files, not over the network
 */
public record FsOptions(Duration ioTimeout, Duration attrTtl, Duration entryTtl, long dirtyLimit,
                        long flushThreshold, int readAhead, int writeWindow, boolean writeBack, Duration writeBackDelay,
                        boolean shortCircuit) {
    public static final FsOptions DEFAULTS = new FsOptions(Duration.ofSeconds(30), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 256L << 20, 8L << 20, 4 << 20, 8, true, Duration.ofSeconds(1), true);

    /** The keys {@link #with} accepts, with their meaning, for help texts. */
    public static final Map<String, String> KEYS = Map.of(
            "io-timeout", "how long transient errors are retried before a call fails (default 30s)",
            "attr-ttl", "how long cached attributes are trusted (default 1s; 0 disables)",
            "entry-ttl", "how long cached name lookups, found or not, are trusted (default 1s; 0 disables)",
            "dirty-limit", "written bytes the mount holds before sending them; writers wait beyond it (default 256M)",
            "flush-threshold", "written bytes one file holds before sending them (default 8M, at least 1M)",
            "read-ahead", "bytes fetched ahead of a sequential reader (default 4M)",
            "write-window", "1 MiB pieces in flight per chunk write (default 8)",
            "writeback", "on: creates, removals and renames in directories this mount leases are made here and sent "
                    + "in batches (fsync sends them at once); off: each goes to the meta group (default on)",
            "writeback-delay", "how long a change made ahead of the meta group waits at most before it is sent (default 1s)",
            "short-circuit", "on: replicas on bricks of this host are read from their files (checksums checked), "
                    + "not through their storage node; off: every read goes over the network (default on)");

    /** A copy with option {@code key} set to {@code value}; INVALID_ARGUMENT names the problem and the fix. */
    public FsOptions with(String key, String value) throws CairnException {
        String k = key.trim().toLowerCase(Locale.ROOT);
        return switch (k) {
            case "io-timeout" -> new FsOptions(positive(k, duration(k, value)), attrTtl, entryTtl, dirtyLimit,
                    flushThreshold, readAhead, writeWindow, writeBack, writeBackDelay, shortCircuit);
            case "attr-ttl" -> new FsOptions(ioTimeout, duration(k, value), entryTtl, dirtyLimit, flushThreshold,
                    readAhead, writeWindow, writeBack, writeBackDelay, shortCircuit);
            case "entry-ttl" -> new FsOptions(ioTimeout, attrTtl, duration(k, value), dirtyLimit, flushThreshold,
                    readAhead, writeWindow, writeBack, writeBackDelay, shortCircuit);
            case "dirty-limit" -> new FsOptions(ioTimeout, attrTtl, entryTtl, atLeast(k, size(k, value), 1L << 20),
                    flushThreshold, readAhead, writeWindow, writeBack, writeBackDelay, shortCircuit);
            case "flush-threshold" -> new FsOptions(ioTimeout, attrTtl, entryTtl, dirtyLimit,
                    atLeast(k, size(k, value), 1L << 20), readAhead, writeWindow, writeBack, writeBackDelay, shortCircuit);
            case "read-ahead" -> new FsOptions(ioTimeout, attrTtl, entryTtl, dirtyLimit, flushThreshold,
                    (int) Math.min(atLeast(k, size(k, value), 0), 64L << 20), writeWindow, writeBack, writeBackDelay, shortCircuit);
            case "write-window" -> new FsOptions(ioTimeout, attrTtl, entryTtl, dirtyLimit, flushThreshold, readAhead,
                    (int) Math.min(atLeast(k, number(k, value), 1), 64), writeBack, writeBackDelay, shortCircuit);
            case "writeback" -> new FsOptions(ioTimeout, attrTtl, entryTtl, dirtyLimit, flushThreshold, readAhead,
                    writeWindow, onOff(k, value), writeBackDelay, shortCircuit);
            case "writeback-delay" -> new FsOptions(ioTimeout, attrTtl, entryTtl, dirtyLimit, flushThreshold, readAhead,
                    writeWindow, writeBack, positive(k, duration(k, value)), shortCircuit);
            case "short-circuit" -> new FsOptions(ioTimeout, attrTtl, entryTtl, dirtyLimit, flushThreshold, readAhead,
                    writeWindow, writeBack, writeBackDelay, onOff(k, value));
            default -> throw new CairnException(ErrorCode.INVALID_ARGUMENT, "unknown option '" + key
                    + "'; known options are " + String.join(", ", new java.util.TreeSet<>(KEYS.keySet())));
        };
    }

    static Duration duration(String key, String value) throws CairnException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "option " + key + "=" + value
                    + " is not a duration; write it as 500ms, 2s or 1m");
        }
    }

    static long size(String key, String value) throws CairnException {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.endsWith("IB")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("B")) {
            v = v.substring(0, v.length() - 1);
        }
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                default -> shift = -1;
            }
            if (shift >= 0) {
                v = v.substring(0, v.length() - 1);
            } else {
                shift = 0;
            }
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "option " + key + "=" + value
                    + " is not a size; write it as 512K, 8M or 1G");
        }
    }

    private static boolean onOff(String key, String value) throws CairnException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new CairnException(ErrorCode.INVALID_ARGUMENT, "option " + key + "=" + value + " must be on or off");
        };
    }

    private static long number(String key, String value) throws CairnException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "option " + key + "=" + value + " is not a whole number");
        }
    }

    private static long atLeast(String key, long n, long min) throws CairnException {
        if (n < min) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "option " + key + "=" + n + " is too small; use at least " + min);
        }
        return n;
    }

    private static Duration positive(String key, Duration d) throws CairnException {
        if (d.isZero() || d.isNegative()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "option " + key + " must be longer than 0, e.g. 30s");
        }
        return d;
    }
}
