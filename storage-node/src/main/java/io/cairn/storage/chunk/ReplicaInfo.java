package io.cairn.storage.chunk;

/** What a brick holds of one chunk: its epoch, how many bytes, and whether it must be repaired first. */
public record ReplicaInfo(long chunkId, long epoch, long length, boolean suspect) {
}
