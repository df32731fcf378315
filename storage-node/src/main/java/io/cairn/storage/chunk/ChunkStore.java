package io.cairn.storage.chunk;

import io.cairn.common.CairnException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The replicas of one brick. Every replica records the chunk's epoch and length and a CRC32C
 * per 64 KiB block; reads verify the blocks they return and never serve a replica marked
 * suspect. Writes carry the writer's epoch: an older one is refused (STALE_EPOCH), which fences
 * writers that missed a placement change.
 *
 * <p>Threading: safe for concurrent use; operations on one chunk are serialised, operations on
 * different chunks run in parallel. Durability: data reaches the disk on {@link #sync} (and on
 * every write when the store was opened with {@code syncEveryWrite}).
 *
 * <p>Errors: a full file system (ENOSPC, or an exhausted quota) is NO_SPACE with a message naming
 * the brick, so the writer gets ENOSPC and the primary drops the replica; other disk failures
 * are IO_ERROR. A write that fails for want of space leaves the replica's length and header as
 * they were: bytes beyond the length are ignored, and a block overwritten in part fails its
 * checksum on the next read, as after a crash.
 */
public interface ChunkStore extends AutoCloseable {
    /**
     * Creates an empty replica at {@code epoch} of chunk {@code index} of file {@code inode};
     * ALREADY_EXISTS if the brick holds one.
     */
    ReplicaInfo create(long chunkId, long epoch, long chunkSize, long inode, long index) throws CairnException;

    /** A replica whose file is not known (tests and tools). */
    default ReplicaInfo create(long chunkId, long epoch, long chunkSize) throws CairnException {
        return create(chunkId, epoch, chunkSize, 0, 0);
    }

    Optional<ReplicaInfo> info(long chunkId) throws CairnException;

    /**
     * Writes {@code data} at {@code offset}. {@code crcs} are the CRC32C of each 64 KiB piece of
     * {@code data} from its start (the last piece may be shorter), as the client computed them;
     * a mismatch writes nothing (CHECKSUM_MISMATCH). The replica's length grows to cover the write.
     */
    ReplicaInfo write(long chunkId, long epoch, long offset, ByteBuffer data, int[] crcs) throws CairnException;

    /**
     * Reads up to {@code length} bytes at {@code offset}, fewer at the replica's end, after
     * checking the checksum of every block read. A mismatch marks the replica suspect and fails
     * with CHECKSUM_MISMATCH, so another replica serves the read.
     */
    ByteBuffer read(long chunkId, long epoch, long offset, int length) throws CairnException;

    /**
     * Makes {@code [offset, offset + length)} read as zeros (fallocate's PUNCH_HOLE and ZERO_RANGE):
     * the part inside the replica's length, which does not change; past it the chunk reads as
     * zeros already. Where the brick's file system can punch holes the range's blocks are freed.
     */
    ReplicaInfo zero(long chunkId, long epoch, long offset, long length) throws CairnException;

    /**
     * The ranges of the replica that hold data, in order, within its length; the rest (holes
     * punched or never written) reads as zeros. A brick whose file system cannot tell has data
     * everywhere up to the length.
     */
    List<io.cairn.common.SparseFiles.Range> dataRanges(long chunkId, long epoch) throws CairnException;

    /** Cuts the replica to {@code length} bytes (only shorter). */
    ReplicaInfo truncate(long chunkId, long epoch, long length) throws CairnException;

    /** Moves the replica to a newer epoch; it must be complete for that epoch (repair ensures it). */
    ReplicaInfo setEpoch(long chunkId, long epoch) throws CairnException;

    /** Forces the replica's data and checksums to disk. */
    void sync(long chunkId) throws CairnException;

    /**
     * Forces every replica changed since its last sync to disk (the node's background sync, which
     * bounds what a power cut can take of data never fsynced); returns how many it synced.
     */
    int syncDirty() throws CairnException;

    /**
     * After a crash: re-reads the replica's blocks and, at the first that fails its checksum (bytes
     * the crash took), cuts the replica there and marks it trimmed, so it holds a prefix of the
     * chunk that is intact. Returns the replica as it is now if it was cut, else empty (intact, torn
     * or absent).
     */
    Optional<ReplicaInfo> trimToIntactPrefix(long chunkId) throws CairnException;

    void delete(long chunkId) throws CairnException;

    /** Re-reads every block of the replica; marks it suspect and returns false on a mismatch. */
    boolean verify(long chunkId) throws CairnException;

    /** Every replica on the brick, for the full report a node sends when it starts. */
    List<ReplicaInfo> list() throws CairnException;

    @Override
    void close();
}
