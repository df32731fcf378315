package io.cairn.client.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatAheadTest {
    final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void aRunOfMissesInOneDirectoryReadsItAheadOncePerTtl() {
        StatAhead s = new StatAhead(1_000, now::get);
        for (int i = 1; i < StatAhead.RUN; i++) {
            assertThat(s.missed(7)).isFalse();
        }
        assertThat(s.missed(7)).isTrue();
        for (int i = 0; i < 3 * StatAhead.RUN; i++) {
            assertThat(s.missed(7)).as("within the TTL of the last read-ahead").isFalse();
        }
        now.addAndGet(1_000);
        assertThat(s.missed(7)).as("the run is long enough and the TTL has passed").isTrue();
    }

    @Test
    void directoriesCountApart() {
        StatAhead s = new StatAhead(1_000, now::get);
        for (int i = 1; i < StatAhead.RUN; i++) {
            s.missed(1);
        }
        assertThat(s.missed(2)).isFalse();
        assertThat(s.missed(1)).isTrue();
    }

    @Test
    void noCacheNoReadAhead() {
        StatAhead s = new StatAhead(0, now::get);
        for (int i = 0; i < 3 * StatAhead.RUN; i++) {
            assertThat(s.missed(1)).isFalse();
        }
    }
}
