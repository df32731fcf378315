package io.cairn.storage.replication;

import io.cairn.common.CairnException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkTarget;
import java.util.List;

/** What a primary asks the meta service about a chunk's placement. */
public interface ChunkPlacements {
    /**
     * The chunk's new record: epoch + 1, placement without {@code dropped}. Fails with
     * QUORUM_NOT_MET below min-size, STALE_EPOCH if the chunk's epoch moved on meanwhile.
     */
    ChunkInfo drop(ChunkTarget chunk, List<Long> dropped) throws CairnException;

    /**
     * The chunk's new record: epoch + 1 with exactly {@code placement} (brick ids, primary
     * first). Same failures as {@link #drop}.
     */
    ChunkInfo replace(ChunkTarget chunk, List<Long> placement) throws CairnException;

    /** The chunk's current record, as the meta service has it now. */
    ChunkInfo current(ChunkTarget chunk) throws CairnException;
}
