package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
    final AtomicLong now = new AtomicLong(1_000);

    @Test
    void entriesLiveForTheTtlOnly() {
        TtlCache<String, Integer> c = new TtlCache<>(Duration.ofNanos(100), now::get, 10);
        c.put("a", 1);
        now.addAndGet(99);
        assertThat(c.get("a").value()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(c.get("a")).isNull();
    }

    @Test
    void theRemainingTimeCountsDownToZero() {
        TtlCache<String, Integer> c = new TtlCache<>(Duration.ofNanos(100), now::get, 10);
        assertThat(c.remainingNanos("a")).isZero();
        c.put("a", 1);
        now.addAndGet(30);
        assertThat(c.remainingNanos("a")).isEqualTo(70);
        now.addAndGet(200);
        assertThat(c.remainingNanos("a")).isZero();
    }

    @Test
    void aNegativeEntryIsAHitWithoutAValue() {
        TtlCache<String, Integer> c = new TtlCache<>(Duration.ofSeconds(1), now::get, 10);
        c.put("gone", null);
        assertThat(c.get("gone").negative()).isTrue();
        assertThat(c.get("never")).isNull();
    }

    @Test
    void invalidateAndAZeroTtl() {
        TtlCache<String, Integer> c = new TtlCache<>(Duration.ofSeconds(1), now::get, 10);
        c.put("a", 1);
        c.invalidate("a");
        assertThat(c.get("a")).isNull();
        TtlCache<String, Integer> off = new TtlCache<>(Duration.ZERO, now::get, 10);
        off.put("a", 1);
        assertThat(off.get("a")).isNull();
    }

    @Test
    void theSizeStaysBounded() {
        TtlCache<Integer, Integer> c = new TtlCache<>(Duration.ofSeconds(1), now::get, 100);
        for (int i = 0; i < 1000; i++) {
            c.put(i, i);
        }
        assertThat(c.size()).isLessThanOrEqualTo(100);
        assertThat(c.get(999).value()).isEqualTo(999);
    }

    @Test
    void namespaceCacheServesEntriesAndAttributesUntilForgotten() {
        NamespaceCache nc = new NamespaceCache(Duration.ofSeconds(1), Duration.ofSeconds(1), now::get);
        io.cairn.proto.InodeAttr attr = io.cairn.proto.InodeAttr.newBuilder().setInode(7).setMode(0100644).build();
        nc.putEntry(1, "f", attr);
        assertThat(nc.entry(1, "f").value()).isEqualTo(7);
        assertThat(nc.attr(7)).isEqualTo(attr);
        nc.forgetAttr(7);
        assertThat(nc.attr(7)).isNull();
        nc.putMissing(1, "f");
        assertThat(nc.entry(1, "f").negative()).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(nc.entry(1, "f")).isNull();
    }
}
