package io.cairn.meta.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.meta.repair.ChunkHealth.BrickState;
import io.cairn.proto.state.ChunkRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bricks 1..3 on nodes 1..3; a chunk of 1000 bytes placed on all three. */
class ShortReplicasTest {
    static final ChunkRecord REC = ChunkRecord.newBuilder().setChunkId(7).setEpoch(2).setLength(1000)
            .addAllPlacement(List.of(1L, 2L, 3L)).build();

    static Map<Long, BrickState> bricks(String states) {
        Map<Long, BrickState> out = new HashMap<>();
        for (int i = 0; i < states.length(); i++) {
            long b = i + 1;
            char s = states.charAt(i);
            if (s != 'g') {
                out.put(b, new BrickState(b, b, s == 'u', s == 'o', false));
            }
        }
        return out;
    }

    @Test
    void shortMembersAreCopiedAfreshWhileAnotherMayHoldTheWholeChunk() {
        ShortReplicas s = new ShortReplicas();
        s.report(7, 1, 400);
        s.report(7, 2, 1000);  // not short: ignored
        assertThat(s.judge(REC, bricks("uuu"), b -> false)).isEqualTo(new ShortReplicas.Decision(Set.of(1L), -1));
        assertThat(s.judge(REC, bricks("uuu"), b -> false)).as("judged once").isEqualTo(ShortReplicas.Decision.NONE);
        s.report(7, 1, 400);
        s.report(7, 2, 300);
        assertThat(s.judge(REC, bricks("uud"), b -> false)).as("a down node may return and say")
                .isEqualTo(ShortReplicas.Decision.NONE);
        assertThat(s.judge(REC, bricks("uuu"), b -> false)).as("it returned and did not say it lost bytes")
                .isEqualTo(new ShortReplicas.Decision(Set.of(1L, 2L), -1));
    }

    @Test
    void whenNoMemberCanHoldMoreTheChunkIsCutToTheLongestPrefix() {
        ShortReplicas s = new ShortReplicas();
        s.report(7, 1, 400);
        s.report(7, 2, 655);
        // brick 3: corrupt, out, or gone: none of them can hold the bytes.
        for (String states : List.of("uuu", "uuo", "uug")) {
            s.report(7, 1, 400);
            s.report(7, 2, 655);
            assertThat(s.judge(REC, bricks(states), b -> b == 3)).as(states)
                    .isEqualTo(new ShortReplicas.Decision(Set.of(1L), 655));
        }
        s.report(9, 1, 10);  // another chunk, or a member outside the placement: nothing for REC
        s.report(7, 5, 10);
        assertThat(s.judge(REC, bricks("uuu"), b -> false)).isEqualTo(ShortReplicas.Decision.NONE);
    }

    @Test
    void lengthsTheMembersToldDecideWhenEveryOneAnswered() {
        Map<Long, Long> held = new HashMap<>();
        held.put(1L, 1000L);
        held.put(2L, 0L);
        held.put(3L, 400L);
        assertThat(ShortReplicas.fromLengths(1000, held)).isEqualTo(new ShortReplicas.Decision(Set.of(2L, 3L), -1));
        held.put(1L, 650L);
        assertThat(ShortReplicas.fromLengths(1000, held)).isEqualTo(new ShortReplicas.Decision(Set.of(2L, 3L), 650));
        held.replaceAll((b, l) -> 0L);
        assertThat(ShortReplicas.fromLengths(1000, held)).as("none made durable")
                .isEqualTo(new ShortReplicas.Decision(Set.of(), 0));
        held.put(2L, null);
        assertThat(ShortReplicas.fromLengths(1000, held)).as("one did not answer").isEqualTo(ShortReplicas.Decision.NONE);
    }
}
