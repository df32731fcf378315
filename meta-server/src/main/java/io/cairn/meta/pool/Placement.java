package io.cairn.meta.pool;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Chooses the bricks of a new chunk: one brick per node, live nodes only, each pick weighted by
 * the brick's free space. Runs on the leader before proposing, so applying the log stays
 * deterministic. With fewer live nodes than the replica count but at least min-size, the chunk
 * starts degraded (as a Ceph PG does) and repair brings it to size later.
 */
public final class Placement {
    /** A brick of the volume as the leader sees it now. */
    public record Candidate(long brickId, long nodeId, boolean live, long freeBytes) {
    }

    private Placement() {
    }

    public static List<Long> choose(String volume, List<Candidate> bricks, int size, int minSize,
                                    boolean allowSameNode, Random random) throws CairnException {
        List<Candidate> pool = new ArrayList<>();
        Set<Long> liveNodes = new HashSet<>();
        for (Candidate c : bricks) {
            if (c.live()) {
                pool.add(c);
                liveNodes.add(c.nodeId());
            }
        }
        int reachable = allowSameNode ? pool.size() : liveNodes.size();
        int want = io.cairn.common.Quorum.placementCount(size, Math.min(minSize, size), reachable);
        if (want == 0) {
            throw new CairnException(ErrorCode.NO_PLACEMENT, "volume " + volume + " cannot place a chunk: "
                    + liveNodes.size() + " of its nodes are live, min-size is " + minSize
                    + "; start the storage nodes ('cairn peer status' shows them)");
        }
        List<Long> chosen = new ArrayList<>(want);
        Set<Long> usedNodes = new HashSet<>();
        while (chosen.size() < want) {
            List<Candidate> eligible = new ArrayList<>();
            for (Candidate c : pool) {
                if (!chosen.contains(c.brickId()) && (allowSameNode && usedNodes.containsAll(liveNodes)
                        || !usedNodes.contains(c.nodeId()))) {
                    eligible.add(c);
                }
            }
            Candidate pick = weighted(eligible, random);
            chosen.add(pick.brickId());
            usedNodes.add(pick.nodeId());
        }
        return chosen;
    }

    private static Candidate weighted(List<Candidate> eligible, Random random) {
        double total = 0;
        for (Candidate c : eligible) {
            total += weight(c);
        }
        double r = random.nextDouble() * total;
        for (Candidate c : eligible) {
            r -= weight(c);
            if (r < 0) {
                return c;
            }
        }
        return eligible.get(eligible.size() - 1);
    }

    /** Free space in MiB, at least 1 so a brick whose space is not yet reported can still be picked. */
    private static double weight(Candidate c) {
        return Math.max(1.0, c.freeBytes() / (double) (1 << 20));
    }
}
