package io.cairn.meta.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.pool.Placement.Candidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure brick choice for a new chunk. */
class PlacementTest {
    static final long MIB = 1 << 20;

    /**
     * Bricks written as "node:live:freeMiB" separated by spaces; brick ids are 1, 2, ... in order.
     * E.g. "1:y:100 1:y:100 2:n:50" is two live bricks on node 1 and a dead one on node 2; a fourth
     * field "full" marks a brick at or above the fill threshold ("3:y:1:full").
     */
    static List<Candidate> bricks(String spec) {
        List<Candidate> out = new ArrayList<>();
        String[] parts = spec.trim().split(" +");
        for (int i = 0; i < parts.length; i++) {
            String[] f = parts[i].split(":");
            out.add(new Candidate(i + 1, Long.parseLong(f[0]), f[1].equals("y"), Long.parseLong(f[2]) * MIB,
                    f.length > 3 && f[3].equals("full")));
        }
        return out;
    }

    static Candidate byId(List<Candidate> bricks, long id) {
        return bricks.stream().filter(c -> c.brickId() == id).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "[{0}] size {1} min {2} same-node {3} -> {4} replicas on {5} nodes")
    @CsvSource(delimiter = '|', textBlock = """
            # bricks                                      | size | min | same | count | nodes
            1:y:10 2:y:10 3:y:10                          | 3    | 2   | false | 3    | 3
            1:y:10 1:y:10 2:y:10 2:y:10 3:y:10 3:y:10     | 3    | 2   | false | 3    | 3
            1:y:10 2:y:10 3:y:10 4:y:10 5:y:10            | 3    | 2   | false | 3    | 3
            1:y:10 2:y:10 3:n:10                          | 3    | 2   | false | 2    | 2
            1:y:10 1:y:10 2:y:10 3:n:10                   | 3    | 2   | false | 2    | 2
            1:y:10 2:n:10 3:n:10                          | 3    | 1   | false | 1    | 1
            1:y:10 2:y:10                                 | 2    | 2   | false | 2    | 2
            1:y:10                                        | 1    | 1   | false | 1    | 1
            1:y:10 2:y:10 3:y:10                          | 1    | 1   | false | 1    | 1
            1:y:10 1:y:10 1:y:10                          | 3    | 2   | true  | 3    | 1
            1:y:10 1:y:10 2:y:10 2:y:10                   | 3    | 2   | true  | 3    | 2
            1:y:10 1:y:10 2:n:10                          | 2    | 2   | true  | 2    | 1
            1:y:10                                        | 3    | 1   | true  | 1    | 1
            1:y:0 2:y:0 3:y:0                             | 3    | 3   | false | 3    | 3
            """)
    void choosesDistinctLiveBricks(String spec, int size, int min, boolean sameNode, int count, int nodes) throws Exception {
        List<Candidate> bricks = bricks(spec);
        for (long seed = 0; seed < 50; seed++) {
            List<Long> chosen = Placement.choose("v", bricks, size, min, sameNode, new Random(seed));
            assertThat(chosen).hasSize(count).doesNotHaveDuplicates();
            assertThat(chosen).allSatisfy(id -> assertThat(byId(bricks, id).live()).isTrue());
            Set<Long> usedNodes = new HashSet<>();
            chosen.forEach(id -> usedNodes.add(byId(bricks, id).nodeId()));
            assertThat(usedNodes).hasSize(nodes);
        }
    }

    @ParameterizedTest(name = "[{0}] size {1} min {2} same-node {3} -> NO_PLACEMENT")
    @CsvSource(delimiter = '|', textBlock = """
            1:y:10 2:n:10 3:n:10          | 3 | 2 | false
            1:n:10 2:n:10 3:n:10          | 3 | 1 | false
            1:y:10 1:y:10 2:n:10          | 3 | 2 | false
            1:y:10 2:y:10 3:n:10          | 3 | 3 | false
            1:y:10                        | 2 | 2 | false
            1:y:10 1:n:10                 | 2 | 2 | true
            """)
    void tooFewLiveNodesIsNoPlacement(String spec, int size, int min, boolean sameNode) {
        assertThatThrownBy(() -> Placement.choose("v", bricks(spec), size, min, sameNode, new Random(1)))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.NO_PLACEMENT))
                .hasMessageContaining("volume v");
    }

    @ParameterizedTest(name = "[{0}] size {1} min {2} same-node {3} -> {4} replicas, none full")
    @CsvSource(delimiter = '|', textBlock = """
            # bricks                                         | size | min | same  | count
            1:y:10 2:y:10 3:y:10 4:y:1:full                  | 3    | 2   | false | 3
            1:y:10 2:y:10 3:y:1:full                         | 3    | 2   | false | 2
            1:y:10 1:y:1:full 2:y:10 3:y:10                  | 3    | 2   | false | 3
            1:y:10 1:y:1:full 2:y:10 3:y:1:full              | 3    | 2   | false | 2
            1:y:10 1:y:10 1:y:1:full                         | 3    | 2   | true  | 2
            1:y:10 2:y:1:full 3:y:1:full                     | 3    | 1   | false | 1
            """)
    void fullBricksAreLeftOutAndTheChunkStartsDegraded(String spec, int size, int min, boolean sameNode, int count)
            throws Exception {
        List<Candidate> bricks = bricks(spec);
        for (long seed = 0; seed < 50; seed++) {
            List<Long> chosen = Placement.choose("v", bricks, size, min, sameNode, new Random(seed));
            assertThat(chosen).hasSize(count).doesNotHaveDuplicates()
                    .allSatisfy(id -> assertThat(byId(bricks, id).full()).isFalse());
        }
    }

    @ParameterizedTest(name = "[{0}] size {1} min {2} same-node {3} -> NO_SPACE")
    @CsvSource(delimiter = '|', textBlock = """
            1:y:1:full 2:y:1:full 3:y:1:full       | 3 | 2 | false
            1:y:10 2:y:1:full 3:y:1:full           | 3 | 2 | false
            1:y:10 1:y:10 2:y:1:full 3:y:1:full    | 3 | 2 | false
            1:y:10 1:y:1:full                      | 2 | 2 | true
            1:y:1:full                             | 1 | 1 | false
            """)
    void tooFewBricksWithRoomIsNoSpace(String spec, int size, int min, boolean sameNode) {
        assertThatThrownBy(() -> Placement.choose("v", bricks(spec), size, min, sameNode, new Random(1)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE))
                .hasMessageContaining("volume v").hasMessageContaining("full")
                .hasMessageContaining("cairn volume add-brick").hasMessageNotContaining("\n");
    }

    @Test
    void nodesDownIsNoPlacementEvenWhenTheLiveOnesAreFull() {
        assertThatThrownBy(() -> Placement.choose("v", bricks("1:y:1:full 2:n:10 3:n:10"), 3, 2, false, new Random(1)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_PLACEMENT));
    }

    @Test
    void noBricksAtAllIsNoPlacement() {
        assertThatThrownBy(() -> Placement.choose("v", List.of(), 1, 1, false, new Random(1)))
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.NO_PLACEMENT));
    }

    @Test
    void sameNodeIsUsedOnlyAfterEveryLiveNodeHasAReplica() throws Exception {
        List<Candidate> bricks = bricks("1:y:10 1:y:10 1:y:10 2:y:10 2:y:10");
        for (long seed = 0; seed < 100; seed++) {
            List<Long> chosen = Placement.choose("v", bricks, 3, 2, true, new Random(seed));
            assertThat(byId(bricks, chosen.get(0)).nodeId()).isNotEqualTo(byId(bricks, chosen.get(1)).nodeId());
        }
    }

    @Test
    void theSameSeedGivesTheSameChoice() throws Exception {
        List<Candidate> bricks = bricks("1:y:10 2:y:20 3:y:30 4:y:40 5:y:50");
        assertThat(Placement.choose("v", bricks, 3, 2, false, new Random(7)))
                .isEqualTo(Placement.choose("v", bricks, 3, 2, false, new Random(7)));
    }

    @ParameterizedTest(name = "free {0} MiB vs {1} MiB: the first is picked about {2} of the time")
    @CsvSource({"900, 100, 0.9", "500, 500, 0.5", "100, 300, 0.25", "1000, 0, 0.999", "0, 0, 0.5"})
    void weightingFavoursFreeSpace(long a, long b, double share) throws Exception {
        List<Candidate> bricks = List.of(new Candidate(1, 1, true, a * MIB), new Candidate(2, 2, true, b * MIB));
        Random random = new Random(42);
        int trials = 20_000;
        int first = 0;
        for (int i = 0; i < trials; i++) {
            if (Placement.choose("v", bricks, 1, 1, false, random).get(0) == 1) {
                first++;
            }
        }
        assertThat(first / (double) trials).isCloseTo(share, offset(0.02));
    }

    @Test
    void spreadOverManyBricksFollowsFreeSpace() throws Exception {
        // six nodes, free space 1..6 units: replica-3 placements load each brick in that order
        List<Candidate> bricks = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            bricks.add(new Candidate(i, i, true, i * 100 * MIB));
        }
        Map<Long, Integer> load = new HashMap<>();
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            for (long id : Placement.choose("v", bricks, 3, 2, false, random)) {
                load.merge(id, 1, Integer::sum);
            }
        }
        for (long id = 1; id < 6; id++) {
            assertThat(load.get(id)).as("brick %d gets less than brick %d", id, id + 1).isLessThan(load.get(id + 1));
        }
        assertThat(load.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30_000);
    }

    @Test
    void deadBricksAreNeverChosenHoweverFree() throws Exception {
        List<Candidate> bricks = bricks("1:n:100000 2:y:1 3:y:1 4:n:100000");
        for (long seed = 0; seed < 100; seed++) {
            assertThat(Placement.choose("v", bricks, 2, 1, false, new Random(seed))).containsExactlyInAnyOrder(2L, 3L);
        }
    }
}
