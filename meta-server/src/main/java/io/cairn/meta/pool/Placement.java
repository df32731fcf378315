package io.cairn.meta.pool;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Chooses the bricks of a new chunk: one brick per node, live nodes only, bricks below the fill
 * threshold only, each pick weighted by the brick's free space. Runs on the leader before
 * proposing, so applying the log stays deterministic. With fewer live nodes (or nodes with room)
 * than the replica count but at least min-size, the chunk starts degraded (as a Ceph PG does)
 * and repair brings it to size later. Too few live nodes is NO_PLACEMENT (the client waits for
 * them, then EIO); enough live nodes but too few with room is NO_SPACE (ENOSPC at once).
 */
public final class Placement {
    /** A brick of the volume as the leader sees it now; {@code full}: at or above the fill threshold. */
    public record Candidate(long brickId, long nodeId, boolean live, long freeBytes, boolean full) {
        public Candidate(long brickId, long nodeId, boolean live, long freeBytes) {
            this(brickId, nodeId, live, freeBytes, false);
        }
    }

    private Placement() {
    }

    public static List<Long> choose(String volume, List<Candidate> bricks, int size, int minSize,
                                    boolean allowSameNode, Random random) throws CairnException {
        Set<Long> liveNodes = new HashSet<>();
        int liveBricks = 0;
        List<Candidate> pool = new ArrayList<>();
        Set<Long> roomyNodes = new HashSet<>();
        for (Candidate c : bricks) {
            if (c.live()) {
                liveBricks++;
                liveNodes.add(c.nodeId());
                if (!c.full()) {
                    pool.add(c);
                    roomyNodes.add(c.nodeId());
                }
            }
        }
        int min = Math.min(minSize, size);
        if (io.cairn.common.Quorum.placementCount(size, min, allowSameNode ? liveBricks : liveNodes.size()) == 0) {
            throw new CairnException(ErrorCode.NO_PLACEMENT, "volume " + volume + " cannot place a chunk: "
                    + liveNodes.size() + " of its nodes are live, min-size is " + minSize
                    + "; start the storage nodes ('cairn peer status' shows them)");
        }
        int want = io.cairn.common.Quorum.placementCount(size, min, allowSameNode ? pool.size() : roomyNodes.size());
        if (want == 0) {
            throw new CairnException(ErrorCode.NO_SPACE, "volume " + volume + " cannot place a chunk: "
                    + (liveBricks - pool.size()) + " of its " + liveBricks + " live bricks are full (at or above the"
                    + " fill threshold) and min-size is " + minSize + "; free space on them or add bricks with"
                    + " `cairn volume add-brick` ('cairn volume status' shows each brick's fill)");
        }
        List<Long> chosen = new ArrayList<>(want);
        Set<Long> usedNodes = new HashSet<>();
        while (chosen.size() < want) {
            List<Candidate> eligible = new ArrayList<>();
            for (Candidate c : pool) {
                if (!chosen.contains(c.brickId()) && (allowSameNode && usedNodes.containsAll(roomyNodes)
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
