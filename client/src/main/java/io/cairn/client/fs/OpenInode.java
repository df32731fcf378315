package io.cairn.client.fs;

import io.cairn.client.data.ChunkRef;
import io.cairn.common.CairnException;
import io.cairn.proto.Credentials;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What this client holds for one open regular file, shared by every handle on the inode: bytes
 * written and not yet sent, bytes sent and not yet committed to meta, the placements of its
 * chunks and the read-ahead window. Every field is guarded by {@link #lock}, except
 * {@code opens} and {@code hidden}, which the open-file table guards.
 */
final class OpenInode {
    final long inode;
    final ReentrantLock lock = new ReentrantLock();

    // guarded by the open-file table
    int opens;
    /** Set when the last name was removed while open: the file lives on under this hidden name. */
    volatile NamespaceCache.Key hidden;

    // guarded by lock
    final WriteBuffer buffer = new WriteBuffer();
    /** This client's view of the size: the committed size plus its own writes. */
    long size;
    /** End of the bytes sent to storage but not committed to meta; -1 when none. */
    long pendingEnd = -1;
    long pendingMtimeNs;
    final Map<Long, Long> pendingChunkEnds = new HashMap<>();
    /**
     * The meta group knows this client holds the file's length (a lease taken by an fdatasync's
     * commit): later fdatasyncs leave the length on the replicas until close, a recall, or
     * {@link FileIo#HOLD_COMMIT_NANOS} after {@link #heldSinceNanos}, the last commit.
     */
    boolean holdsLength;
    long heldSinceNanos;
    /** Chunks written since the last fsync. */
    final Set<Long> unsynced = new HashSet<>();
    /** Placement cache by chunk index; a null value is a hole (no chunk as of the last look). */
    final Map<Long, ChunkRef> chunks = new HashMap<>();
    /** Whether the file keeps its bytes inline (and those bytes), as this client last saw. */
    final InlineState layout = new InlineState();
    /** Credentials of the last writer: used when another writer has to send this file's buffer. */
    Credentials writer;
    /** A failure while sending buffered bytes, reported by the next flush or fsync (as a kernel does). */
    CairnException writeError;
    /** The buffer's bytes being sent in the background, if any: at most one send per file at a time. */
    Send inflight;
    byte[] ahead;
    long aheadAt;
    long lastReadEnd = -1;

    OpenInode(long inode) {
        this.inode = inode;
    }

    boolean dirty() {
        return !buffer.isEmpty() || pendingEnd >= 0 || inflight != null;
    }

    /** A background send: the budget bytes it holds and what it wrote, once done. */
    record Send(long held, java.util.concurrent.CompletableFuture<java.util.List<FileIo.Sent>> result) {
    }

    void dropReadAhead() {
        ahead = null;
        lastReadEnd = -1;
    }
}
