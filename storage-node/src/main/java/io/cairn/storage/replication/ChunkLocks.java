package io.cairn.storage.replication;

/**
 * The one owner of the node's chunk locks: a fixed set of stripes, a chunk's lock being the
 * stripe its id falls in. Whoever changes a chunk's replica or its stream (the primary writer,
 * the replica applier, repair, truncate and zero, garbage deletion) does it holding that lock.
 *
 * <p>The locks are plain monitors, not {@link java.util.concurrent.locks.Lock}s: {@link
 * ChunkStreams} waits on them with {@link Object#wait}, which releases the lock while it waits.
 * Two chunks in the same stripe share a lock; that costs parallelism, never correctness.
 */
public final class ChunkLocks {
    private static final int STRIPES = 256;

    private final Object[] stripes = new Object[STRIPES];

    public ChunkLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** The monitor to hold while changing chunk {@code chunkId}; the same object on every call. */
    public Object of(long chunkId) {
        return stripes[(int) (chunkId & (STRIPES - 1))];
    }
}
