package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.replication.WriteRanges;

/**
 * The shape checks of StorageService requests, before a handler touches a replica: a chunk
 * target a volume could have (chunk size a multiple of 64 KiB up to 1 GiB, a placement) and byte
 * ranges inside it. An epoch the replica does not have is the store's to answer (STALE_EPOCH). Values arrive unsigned on the wire; Java sees the huge ones negative.
 */
final class StorageRequests {
    /** The largest chunk-size a volume takes (meta's VolumeOps.MAX_CHUNK_SIZE). */
    static final long MAX_CHUNK_SIZE = 1L << 30;

    private StorageRequests() {
    }

    static void target(ChunkTarget t) throws CairnException {
        long size = t.getChunkSize();
        if (size <= 0 || size > MAX_CHUNK_SIZE || size % Crc32c.BLOCK_SIZE != 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "chunk size " + Long.toUnsignedString(size)
                    + " is not a multiple of 64 KiB up to " + MAX_CHUNK_SIZE);
        }
        if (t.getPlacementCount() == 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the chunk target names no placement");
        }
    }

    /** {@code length} bytes at {@code offset} lie inside a chunk of the target's size. */
    static void range(ChunkTarget t, long offset, long length) throws CairnException {
        if (offset < 0 || length < 0 || offset > t.getChunkSize() || length > t.getChunkSize() - offset) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, Long.toUnsignedString(length) + " bytes at offset "
                    + Long.toUnsignedString(offset) + " are outside a chunk of " + t.getChunkSize() + " bytes");
        }
    }

    /** Every range of a write inside the target's chunk (INVALID_ARGUMENT naming the first that is not). */
    static void writeRanges(ChunkTarget t, WriteRequest r) throws CairnException {
        for (WriteRanges.Range range : WriteRanges.of(r)) {
            range(t, range.offset(), range.data().size());
        }
    }
}
