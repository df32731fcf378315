package io.cairn.meta.repair;

import io.cairn.proto.ChunkInfo;
import io.cairn.proto.Replica;
import java.util.concurrent.CompletableFuture;

/**
 * What the meta leader asks a storage node of one replica: its length. The leader's commit check
 * (CommitBacking) and the repair scheduler's check of a chunk no reader could read both use it.
 */
public interface ReplicaLengths extends AutoCloseable {
    /**
     * The length of {@code replica}'s copy of {@code chunk} at the chunk's epoch; fails with a
     * CairnException (NOT_FOUND: it holds none; STALE_EPOCH: another epoch; UNAVAILABLE: no answer).
     */
    CompletableFuture<Long> length(ChunkInfo chunk, long chunkSize, int volumeId, long inode, Replica replica);

    @Override
    void close();
}
