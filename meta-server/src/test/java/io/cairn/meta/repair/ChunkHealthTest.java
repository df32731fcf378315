package io.cairn.meta.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.repair.ChunkHealth.Assessment;
import io.cairn.meta.repair.ChunkHealth.BrickState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bricks 1..n sit on nodes 1..n. A state string gives each placement member's state in order:
 * u = live, d = down (not yet out), o = out, c = live but corrupt, g = gone from the pool,
 * r = live on a brick being removed.
 */
class ChunkHealthTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // states, size, usable, bad, need, surplus
                Arguments.of("uuu", 3, List.of(1L, 2L, 3L), List.of(), 0, List.of()),
                Arguments.of("uud", 3, List.of(1L, 2L), List.of(), 0, List.of()),
                Arguments.of("uuo", 3, List.of(1L, 2L), List.of(3L), 1, List.of()),
                Arguments.of("ouu", 3, List.of(2L, 3L), List.of(1L), 1, List.of()),
                Arguments.of("uoo", 3, List.of(1L), List.of(2L, 3L), 2, List.of()),
                Arguments.of("ooo", 3, List.of(), List.of(1L, 2L, 3L), 3, List.of()),
                Arguments.of("ucu", 3, List.of(1L, 3L), List.of(2L), 1, List.of()),
                Arguments.of("cuu", 3, List.of(2L, 3L), List.of(1L), 1, List.of()),
                Arguments.of("ug", 2, List.of(1L), List.of(2L), 1, List.of()),
                Arguments.of("uu", 3, List.of(1L, 2L), List.of(), 1, List.of()),
                Arguments.of("u", 5, List.of(1L), List.of(), 4, List.of()),
                Arguments.of("uuuu", 3, List.of(1L, 2L, 3L, 4L), List.of(), 0, List.of(4L)),
                Arguments.of("uudu", 3, List.of(1L, 2L, 4L), List.of(), 0, List.of(3L)),
                Arguments.of("uuuuu", 2, List.of(1L, 2L, 3L, 4L, 5L), List.of(), 0, List.of(5L, 4L, 3L)),
                Arguments.of("dddu", 1, List.of(4L), List.of(), 0, List.of(1L, 2L, 3L)),
                Arguments.of("ddd", 3, List.of(), List.of(), 0, List.of()),
                Arguments.of("dco", 3, List.of(), List.of(2L, 3L), 2, List.of()),
                Arguments.of("uur", 3, List.of(1L, 2L), List.of(3L), 1, List.of()),
                Arguments.of("ruu", 3, List.of(2L, 3L), List.of(1L), 1, List.of()));
    }

    /** The placement, bricks and corrupt replicas a state string describes. */
    record Cluster(List<Long> placement, Map<Long, BrickState> bricks, Set<Long> corrupt) {
        static Cluster of(String states) {
            Cluster c = new Cluster(new ArrayList<>(), new HashMap<>(), new java.util.HashSet<>());
            for (int i = 0; i < states.length(); i++) {
                long b = i + 1;
                c.placement.add(b);
                char s = states.charAt(i);
                if (s != 'g') {
                    c.bricks.put(b, new BrickState(b, b, s == 'u' || s == 'c' || s == 'r', s == 'o', s == 'r'));
                }
                if (s == 'c') {
                    c.corrupt.add(b);
                }
            }
            return c;
        }

        Assessment assess(int size) {
            return ChunkHealth.assess(placement, size, bricks, corrupt::contains);
        }
    }

    @ParameterizedTest(name = "{0} at size {1}")
    @MethodSource("cases")
    void assess(String states, int size, List<Long> usable, List<Long> bad, int need, List<Long> surplus) {
        Cluster c = Cluster.of(states);
        List<Long> placement = c.placement();
        Assessment a = c.assess(size);
        assertThat(a.usable()).isEqualTo(usable);
        assertThat(a.bad()).isEqualTo(bad);
        assertThat(a.need()).isEqualTo(need);
        assertThat(a.surplus()).isEqualTo(surplus);
        assertThat(a.healthy()).isEqualTo(bad.isEmpty() && need == 0 && surplus.isEmpty());
        assertThat(a.healthy() || !a.reason().isEmpty()).isTrue();
        // What stays plus what is added is the size again (when enough bricks exist).
        assertThat(a.kept(placement).size() + a.need()).isEqualTo(Math.max(size, 0) == 0 ? 0 : size);
    }

    /** Lost: no member holds a readable replica (corrupt, or its brick gone); a down or out node may return. */
    @ParameterizedTest(name = "{0} lost: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"ccc,true", "cgc,true", "ggg,true", "ccu,false", "ccd,false",
            "cco,false", "ooo,false", "ddd,false", "c,true"})
    void lost(String states, boolean lost) {
        assertThat(Cluster.of(states).assess(3).lost()).isEqualTo(lost);
    }
}
