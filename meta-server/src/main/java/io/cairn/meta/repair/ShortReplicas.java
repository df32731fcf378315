package io.cairn.meta.repair;

import io.cairn.meta.repair.ChunkHealth.BrickState;
import io.cairn.proto.state.ChunkRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * Members of a placement that a node cut to their intact prefix after a crash and that hold less
 * than the chunk's length. At the next repair scan each chunk is judged: while another member may
 * hold the whole length (live, or down and able to return), the short ones are corrupt and are
 * copied afresh from it; when none can (every other member is corrupt, torn, out or gone), the
 * crash took those bytes from every replica, and the chunk is cut to the longest prefix that
 * survived ({@code TrimChunk}); shorter members are then corrupt.
 *
 * <p>Soft state on the leader, thread-safe: reports arrive with heartbeats, the scan runs apart.
 */
final class ShortReplicas {
    /** What a scan does with one chunk: members to treat as corrupt, and the length to cut the chunk to (-1: none). */
    record Decision(Set<Long> corrupt, long trimTo) {
        static final Decision NONE = new Decision(Set.of(), -1);
    }

    /** chunk id -> brick -> length it holds. */
    private final Map<Long, Map<Long, Long>> reported = new ConcurrentHashMap<>();

    void report(long chunkId, long brickId, long length) {
        reported.computeIfAbsent(chunkId, k -> new ConcurrentHashMap<>()).put(brickId, length);
    }

    void clear() {
        reported.clear();
    }

    /** Judges the chunk's short members, if any were reported; each report is judged once. */
    Decision judge(ChunkRecord rec, Map<Long, BrickState> bricks, LongPredicate corrupt) {
        Map<Long, Long> got = reported.remove(rec.getChunkId());
        if (got == null) {
            return Decision.NONE;
        }
        Map<Long, Long> shorts = new HashMap<>();
        got.forEach((brick, length) -> {
            if (rec.getPlacementList().contains(brick) && length < rec.getLength()) {
                shorts.put(brick, length);
            }
        });
        if (shorts.isEmpty()) {
            return Decision.NONE;
        }
        for (long b : rec.getPlacementList()) {
            BrickState s = bricks.get(b);
            if (!shorts.containsKey(b) && s != null && !s.out() && !corrupt.test(b)) {
                return new Decision(shorts.keySet(), -1);  // it may hold the bytes: copy from it
            }
        }
        long longest = shorts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        Set<Long> shorter = new HashSet<>();
        shorts.forEach((b, l) -> {
            if (l < longest) {
                shorter.add(b);
            }
        });
        return new Decision(shorter, longest);
    }
}
