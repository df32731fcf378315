package io.cairn.storage.chunk;

/**
 * What a brick holds of one chunk: its epoch, how many bytes, whether it must be repaired first,
 * and the file position it was written for (inode 0: unknown).
 */
public record ReplicaInfo(long chunkId, long epoch, long length, boolean suspect, long inode, long index) {
}
