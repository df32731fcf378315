package io.cairn.client.fs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A map whose entries expire a fixed time after they were put. A value may be absent on purpose
 * (a negative entry: "looked up, does not exist"). Thread-safe. A TTL of zero caches nothing.
 * The size is bounded: past {@code maxEntries} expired entries go, then everything (a cache
 * miss is always correct, a memory leak is not).
 */
public final class TtlCache<K, V> {
    /** A cached answer; {@code value} is null for a negative entry. */
    public record Hit<V>(V value) {
        public boolean negative() {
            return value == null;
        }
    }

    private record Entry<V>(V value, long expiresAt) {
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final int maxEntries;
    private final Map<K, Entry<V>> map = new ConcurrentHashMap<>();

    public TtlCache(Duration ttl, LongSupplier nanoClock, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
        this.maxEntries = maxEntries;
    }

    /** The live entry for {@code key}, or null on a miss. */
    public Hit<V> get(K key) {
        Entry<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.expiresAt() >= 0) {
            map.remove(key, e);
            return null;
        }
        return new Hit<>(e.value());
    }

    public long ttlNanos() {
        return ttlNanos;
    }

    /** How much longer the entry for {@code key} is trusted, in nanoseconds; 0 on a miss. */
    public long remainingNanos(K key) {
        Entry<V> e = map.get(key);
        return e == null ? 0 : Math.max(0, e.expiresAt() - clock.getAsLong());
    }

    /** Caches {@code value} (null: a negative entry) for the TTL. */
    public void put(K key, V value) {
        if (ttlNanos <= 0) {
            return;
        }
        if (map.size() >= maxEntries) {
            long now = clock.getAsLong();
            map.values().removeIf(e -> now - e.expiresAt() >= 0);
            if (map.size() >= maxEntries) {
                map.clear();
            }
        }
        map.put(key, new Entry<>(value, clock.getAsLong() + ttlNanos));
    }

    public void invalidate(K key) {
        map.remove(key);
    }

    public void clear() {
        map.clear();
    }

    public int size() {
        return map.size();
    }
}
