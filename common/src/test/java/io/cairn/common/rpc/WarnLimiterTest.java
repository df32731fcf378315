package io.cairn.common.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarnLimiterTest {
    long now = 1_000_000_000L;
    final List<String> lines = new ArrayList<>();
    final WarnLimiter limiter = new WarnLimiter(Duration.ofSeconds(1), () -> now, lines::add);

    @Test
    void aFloodOfOneKindCostsOneLineASecondWithACountOfTheRest() {
        for (int i = 0; i < 1000; i++) {
            limiter.warn("bad", "bad call " + i);
            now += 2_000_000;  // 2 ms apart: 2 s in all
        }
        assertThat(lines).containsExactly("bad call 0",
                "bad call 500 (and 499 more like it since the last such line)");
    }

    @Test
    void kindsAreLimitedApart() {
        assertThat(limiter.warn("a", "a1")).isTrue();
        assertThat(limiter.warn("b", "b1")).isTrue();
        assertThat(limiter.warn("a", "a2")).isFalse();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(limiter.warn("a", "a3")).isTrue();
        assertThat(lines).containsExactly("a1", "b1", "a3 (and 1 more like it since the last such line)");
    }

    @Test
    void pastTheKindLimitNewKindsShareOneSlot() {
        for (int i = 0; i < WarnLimiter.MAX_KINDS + 50; i++) {
            limiter.warn("kind" + i, "line " + i);
        }
        assertThat(lines).hasSize(WarnLimiter.MAX_KINDS + 1);
    }
}
