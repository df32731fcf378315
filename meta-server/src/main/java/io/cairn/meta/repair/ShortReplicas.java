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
 * than the chunk's length. At each repair scan the chunk is judged: when another member is live and
 * did not report itself short, the short ones are corrupt and are copied afresh from it; while one
 * is down (not out), the judgement waits for it; when none can hold the bytes (every other member
 * is short, corrupt, torn, out or gone), the crash took them from every replica, and the chunk is
 * cut to the longest prefix that survived ({@code TrimChunk}); shorter members are then corrupt.
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

    /**
     * Judges the chunk's short members, if any were reported. A report stays while a member that
     * may hold the bytes is down (its node may come back and say); it is judged once otherwise.
     */
    Decision judge(ChunkRecord rec, Map<Long, BrickState> bricks, LongPredicate corrupt) {
        Map<Long, Long> got = reported.get(rec.getChunkId());
        if (got == null) {
            return Decision.NONE;
        }
        Map<Long, Long> shorts = new HashMap<>();
        got.forEach((brick, length) -> {
            if (rec.getPlacementList().contains(brick) && length < rec.getLength()) {
                shorts.put(brick, length);
            }
        });
        boolean waiting = false;
        for (long b : rec.getPlacementList()) {
            BrickState s = bricks.get(b);
            if (shorts.containsKey(b) || s == null || s.out() || corrupt.test(b)) {
                continue;
            }
            if (s.live()) {
                // It came back and did not say it lost bytes: copy from it.
                reported.remove(rec.getChunkId());
                return shorts.isEmpty() ? Decision.NONE : new Decision(shorts.keySet(), -1);
            }
            waiting = true;
        }
        if (waiting || shorts.isEmpty()) {
            if (shorts.isEmpty()) {
                reported.remove(rec.getChunkId());
            }
            return Decision.NONE;  // a down member may hold the bytes, or say it does not, when it returns
        }
        reported.remove(rec.getChunkId());
        long longest = shorts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        Set<Long> shorter = new HashSet<>();
        shorts.forEach((b, l) -> {
            if (l < longest) {
                shorter.add(b);
            }
        });
        return new Decision(shorter, longest);
    }

    /**
     * Judges a chunk from what each member said it holds when asked ({@code null}: no answer):
     * members short of one that holds the chunk's length are corrupt; when none holds it, the chunk
     * is cut to the longest. Nothing is decided while a member did not answer.
     */
    static Decision fromLengths(long chunkLength, Map<Long, Long> held) {
        if (held.isEmpty() || held.containsValue(null)) {
            return Decision.NONE;
        }
        long longest = held.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long target = Math.min(longest, chunkLength);
        Set<Long> shorter = new HashSet<>();
        held.forEach((b, l) -> {
            if (l < target) {
                shorter.add(b);
            }
        });
        return new Decision(shorter, longest >= chunkLength ? -1 : longest);
    }
}
