package io.cairn.common.rpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * At most one warning line per kind per interval, the next one saying how many were left out
 * meanwhile: a flood of bad calls costs a line a second, not a line each. Thread-safe. The kinds
 * are bounded: past {@link #MAX_KINDS} distinct kinds, further ones share one slot.
 */
public final class WarnLimiter {
    static final int MAX_KINDS = 256;
    private static final String OTHER = "(other)";

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Consumer<String> sink;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    private static final class Slot {
        boolean used;
        long lastNanos;
        long suppressed;
    }

    public WarnLimiter(Duration interval, LongSupplier nanoClock, Consumer<String> sink) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.sink = sink;
    }

    /** One line a second per kind to {@code log} at WARN. */
    public static WarnLimiter perSecond(org.slf4j.Logger log) {
        return new WarnLimiter(Duration.ofSeconds(1), System::nanoTime, line -> log.warn("{}", line));
    }

    /** Emits {@code line} unless a line of this kind went out within the interval; returns whether it did. */
    public boolean warn(String kind, String line) {
        Slot slot = slots.get(kind);
        if (slot == null) {
            slot = slots.size() < MAX_KINDS ? slots.computeIfAbsent(kind, k -> new Slot())
                    : slots.computeIfAbsent(OTHER, k -> new Slot());
        }
        long now = nanoClock.getAsLong();
        long suppressed;
        synchronized (slot) {
            if (slot.used && now - slot.lastNanos < intervalNanos) {
                slot.suppressed++;
                return false;
            }
            suppressed = slot.suppressed;
            slot.used = true;
            slot.lastNanos = now;
            slot.suppressed = 0;
        }
        sink.accept(suppressed == 0 ? line : line + " (and " + suppressed + " more like it since the last such line)");
        return true;
    }
}
