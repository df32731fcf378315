package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.proto.ReplicaDelete;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import io.cairn.storage.replication.BrickStores;
import io.cairn.storage.replication.ChunkLocks;
import java.util.Optional;

/**
 * Deletes the replicas the meta leader judged garbage (heartbeat replies), each under its
 * chunk's lock so a deletion never races a repair copy arriving for the same chunk.
 */
final class GarbageReplicas {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GarbageReplicas.class);

    private final String address;
    private final BrickStores stores;
    private final ChunkLocks locks;

    GarbageReplicas(String address, BrickStores stores, ChunkLocks locks) {
        this.address = address;
        this.stores = stores;
        this.locks = locks;
    }

    /**
     * Deletes a garbage replica as the meta leader asked, unless it is newer than the epoch the
     * leader judged (it became a repair copy since). Returns whether nothing of it is left.
     */
    boolean delete(ReplicaDelete d) {
        try {
            ChunkStore store = stores.store(d.getBrickId());
            synchronized (locks.of(d.getChunkId())) {
                Optional<ReplicaInfo> info = store.info(d.getChunkId());
                if (info.isPresent() && info.get().epoch() > d.getMaxEpoch()) {
                    return false;
                }
                store.delete(d.getChunkId());
                return true;
            }
        } catch (CairnException e) {
            log.warn("{} cannot delete replica of chunk {} on brick {}: {}", address,
                    Long.toHexString(d.getChunkId()), d.getBrickId(), e.getMessage());
            return false;
        }
    }
}
