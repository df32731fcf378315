package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.proto.ReplicaReport;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica report a node sends with its heartbeats: every replica of every brick when the node
 * starts and again at each full report, and in between the replicas that changed. A heartbeat
 * carries at most {@code perBeat} replicas, so a big brick's full report spreads over several
 * heartbeats instead of making one huge message.
 *
 * <p>Thread-safe: changes arrive from request handlers, reports are taken by the heartbeat timer.
 */
public final class ReplicaReporter {
    private static final Logger log = LoggerFactory.getLogger(ReplicaReporter.class);

    private record Key(long brickId, long chunkId) {
    }

    /** The bricks as the reporter needs them: id and store. */
    public interface Bricks {
        List<Long> ids();

        Optional<ChunkStore> store(long brickId);
    }

    private final Bricks bricks;
    private final int perBeat;
    private final LinkedHashSet<Key> pending = new LinkedHashSet<>();

    public ReplicaReporter(Bricks bricks, int perBeat) {
        this.bricks = bricks;
        this.perBeat = perBeat;
    }

    /** Queues a replica whose state changed. */
    public synchronized void changed(long brickId, long chunkId) {
        pending.add(new Key(brickId, chunkId));
    }

    /** Queues every replica of every brick (a full report). */
    public void queueAll() {
        for (long id : bricks.ids()) {
            Optional<ChunkStore> store = bricks.store(id);
            if (store.isEmpty()) {
                continue;
            }
            try {
                for (ReplicaInfo r : store.get().list()) {
                    changed(id, r.chunkId());
                }
            } catch (CairnException e) {
                log.warn("cannot list the replicas of brick {} for the report: {}", id, e.getMessage());
            }
        }
    }

    /** The next part of the report, as the replicas are now; a replica deleted meanwhile is skipped. */
    public List<ReplicaReport> next() {
        List<Key> keys = new ArrayList<>();
        synchronized (this) {
            Iterator<Key> it = pending.iterator();
            while (it.hasNext() && keys.size() < perBeat) {
                keys.add(it.next());
                it.remove();
            }
        }
        List<ReplicaReport> out = new ArrayList<>(keys.size());
        for (Key k : keys) {
            try {
                Optional<ChunkStore> store = bricks.store(k.brickId());
                Optional<ReplicaInfo> info = store.isEmpty() ? Optional.empty() : store.get().info(k.chunkId());
                info.ifPresent(r -> out.add(ReplicaReport.newBuilder().setBrickId(k.brickId()).setChunkId(r.chunkId())
                        .setInode(r.inode()).setIndex(r.index()).setEpoch(r.epoch()).setLength(r.length())
                        .setSuspect(r.suspect()).setTrimmed(r.trimmed()).build()));
            } catch (CairnException e) {
                changed(k.brickId(), k.chunkId());  // report it next time
            }
        }
        return out;
    }

    /** Puts a report that did not reach the leader back in the queue. */
    public void retry(List<ReplicaReport> unsent) {
        for (ReplicaReport r : unsent) {
            changed(r.getBrickId(), r.getChunkId());
        }
    }

    public synchronized int pending() {
        return pending.size();
    }
}
