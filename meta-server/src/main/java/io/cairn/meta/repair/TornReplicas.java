package io.cairn.meta.repair;

import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.state.ChunkRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replicas reported with an unreadable header (torn by a crash): known only by chunk id, from
 * the replica's file name. The next repair scan finds each chunk by its id while it walks the
 * chunk records: a torn replica in the chunk's placement is corrupt and repaired like one; a torn
 * replica of a chunk that no longer exists, or of a brick outside the placement, is a stray,
 * deleted through its node's next heartbeat (at epoch 0, so a repair copy made there since is safe).
 *
 * <p>Soft state on the leader, thread-safe: reports arrive with heartbeats, the scan runs apart.
 */
final class TornReplicas {
    /** chunk id -> bricks that reported it torn, not yet matched by a scan. */
    private final Map<Long, Set<Long>> reported = new ConcurrentHashMap<>();
    /** brick id -> torn replicas on it that belong to no placement. */
    private final Map<Long, Set<Long>> strays = new ConcurrentHashMap<>();

    /** Returns true if the report is new. */
    boolean report(long chunkId, long brickId) {
        return reported.computeIfAbsent(chunkId, k -> ConcurrentHashMap.newKeySet()).add(brickId);
    }

    /** The deletes of stray torn replicas on these bricks; each is handed out once. */
    List<ReplicaDelete> straysOn(Set<Long> bricks) {
        List<ReplicaDelete> out = new ArrayList<>();
        for (long brick : bricks) {
            Set<Long> chunks = strays.remove(brick);
            if (chunks != null) {
                chunks.forEach(c -> out.add(ReplicaDelete.newBuilder().setBrickId(brick).setChunkId(c).setMaxEpoch(0).build()));
            }
        }
        return out;
    }

    void clear() {
        reported.clear();
        strays.clear();
    }

    /** A scan over the torn replicas reported before it started; later reports wait for the next. */
    Scan startScan() {
        Map<Long, Set<Long>> copy = new HashMap<>();
        reported.forEach((c, b) -> copy.put(c, Set.copyOf(b)));
        return new Scan(copy);
    }

    final class Scan {
        private final Map<Long, Set<Long>> pending;

        private Scan(Map<Long, Set<Long>> pending) {
            this.pending = pending;
        }

        /** The bricks of the chunk's placement whose replica is torn; the others become strays. */
        Set<Long> match(ChunkRecord rec) {
            Set<Long> torn = pending.remove(rec.getChunkId());
            if (torn == null) {
                return Set.of();
            }
            forget(rec.getChunkId(), torn);
            Set<Long> members = new java.util.HashSet<>();
            for (long b : torn) {
                if (rec.getPlacementList().contains(b)) {
                    members.add(b);
                } else {
                    stray(b, rec.getChunkId());
                }
            }
            return members;
        }

        /** Torn replicas of chunks the scan never met: their chunks are gone. */
        void finish() {
            pending.forEach((chunk, bricks) -> {
                forget(chunk, bricks);
                bricks.forEach(b -> stray(b, chunk));
            });
        }
    }

    private void forget(long chunkId, Set<Long> bricks) {
        reported.computeIfPresent(chunkId, (k, now) -> {
            now.removeAll(bricks);
            return now.isEmpty() ? null : now;
        });
    }

    private void stray(long brickId, long chunkId) {
        strays.computeIfAbsent(brickId, k -> ConcurrentHashMap.newKeySet()).add(chunkId);
    }
}
