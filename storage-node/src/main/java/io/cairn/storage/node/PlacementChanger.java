package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import java.util.List;

/** Asks the meta service for a chunk's next epoch without some of its replicas. */
@FunctionalInterface
public interface PlacementChanger {
    /**
     * The chunk's new record: epoch + 1, placement without {@code dropped}. Fails with
     * QUORUM_NOT_MET below min-size, STALE_EPOCH if the chunk's epoch moved on meanwhile.
     */
    ChunkInfo drop(ChunkTarget chunk, List<Long> dropped) throws CairnException;
}
