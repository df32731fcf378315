package io.cairn.storage.replication;

import io.cairn.common.CairnException;
import io.cairn.storage.chunk.ChunkStore;

/**
 * The replicas of the bricks this node serves, by brick id: what the replication classes write to.
 * Thread-safe; the store returned is shared and stays open while the brick is served.
 */
@FunctionalInterface
public interface BrickStores {
    /** The store of brick {@code brickId}; NOT_FOUND when this node serves no such brick. */
    ChunkStore store(long brickId) throws CairnException;
}
