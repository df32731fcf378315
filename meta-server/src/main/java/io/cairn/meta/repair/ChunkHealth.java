package io.cairn.meta.repair;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Pure judgement of one chunk's placement against its volume's size and min-size: which replicas
 * are usable, which are bad (on a node that is out or gone, corrupt, or on a brick being removed), how many replicas repair
 * must add and which to drop. Down (not yet out) nodes still count toward size: they may return.
 */
public final class ChunkHealth {
    /** A brick as the leader sees it now. */
    public record BrickState(long brickId, long nodeId, boolean live, boolean out, boolean draining) {
    }

    /**
     * @param usable members on live nodes with a good replica, in placement order (the first can lead a repair)
     * @param bad    members to take out: node out or unknown, or the replica is corrupt
     * @param need   replicas to add to reach size
     * @param surplus members beyond size to take out
     * @param lost    no member holds a replica that can be read back (each is corrupt or its brick
     *                is gone): nothing can repair the chunk, its bytes are lost
     */
    public record Assessment(List<Long> usable, List<Long> bad, int need, List<Long> surplus, String reason, boolean lost) {
        public boolean healthy() {
            return bad.isEmpty() && need <= 0 && surplus.isEmpty();
        }

        /** Members that stay: the placement without bad and surplus ones. */
        public List<Long> kept(List<Long> placement) {
            List<Long> out = new ArrayList<>(placement);
            out.removeAll(bad);
            out.removeAll(surplus);
            return out;
        }
    }

    private ChunkHealth() {
    }

    /**
     * @param placement the chunk's bricks, primary first
     * @param bricks    every brick of the pool by id (a missing one counts as gone)
     * @param corrupt   whether the replica on a brick was reported corrupt
     */
    public static Assessment assess(List<Long> placement, int size, Map<Long, BrickState> bricks, LongPredicate corrupt) {
        List<Long> usable = new ArrayList<>();
        List<Long> bad = new ArrayList<>();
        List<Long> waiting = new ArrayList<>();
        StringBuilder reason = new StringBuilder();
        int unreadable = 0;
        for (long b : placement) {
            BrickState s = bricks.get(b);
            if (s == null || corrupt.test(b)) {
                unreadable++;
            }
            if (s == null || s.out()) {
                bad.add(b);
                note(reason, "brick " + b + (s == null ? " is gone" : " is on a node that is out"));
            } else if (corrupt.test(b)) {
                bad.add(b);
                note(reason, "replica on brick " + b + " is corrupt");
            } else if (s.draining()) {
                bad.add(b);
                note(reason, "brick " + b + " is being removed");
            } else if (s.live()) {
                usable.add(b);
            } else {
                waiting.add(b);
            }
        }
        int kept = usable.size() + waiting.size();
        List<Long> surplus = new ArrayList<>();
        if (kept > size) {
            // Drop the waiting ones first, then the last usable ones; never the first usable.
            List<Long> order = new ArrayList<>(waiting);
            for (int i = usable.size() - 1; i >= 1; i--) {
                order.add(usable.get(i));
            }
            surplus.addAll(order.subList(0, Math.min(order.size(), kept - size)));
            note(reason, kept + " replicas, size is " + size);
        }
        int need = Math.max(0, size - kept);
        if (need > 0 && bad.isEmpty()) {
            note(reason, kept + " of " + size + " replicas");
        }
        boolean lost = !placement.isEmpty() && unreadable == placement.size();
        return new Assessment(usable, bad, need, surplus, reason.toString(), lost);
    }

    private static void note(StringBuilder sb, String s) {
        if (!sb.isEmpty()) {
            sb.append("; ");
        }
        sb.append(s);
    }
}
