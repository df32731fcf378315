package io.cairn.storage.chunk;

/**
 * What a brick holds of one chunk: its epoch, how many bytes, whether it must be repaired first,
 * the file position it was written for (inode 0: unknown), and whether a check after a crash cut
 * it to its intact prefix (the meta leader compares its length with the chunk's).
 */
public record ReplicaInfo(long chunkId, long epoch, long length, boolean suspect, long inode, long index, boolean trimmed) {
}
