package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkControl;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.ReleaseLeaseRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of open files: writes buffered per file and sent in large runs split on chunk
 * boundaries, reads with sequential read-ahead, and the commit of length and mtime to meta
 * after the bytes are on the replicas (data first, metadata last). Every method expects the
 * caller to hold the file's lock.
 */
final class FileIo {
    private static final Logger log = LoggerFactory.getLogger(FileIo.class);

    private final MetaClient meta;
    private final StorageClient storage;
    private final int volumeId;
    private final long chunkSize;
    private final FsOptions options;
    private final DirtyBudget budget;
    private final Supplier<Collection<OpenInode>> openFiles;
    private final java.util.concurrent.ExecutorService senders =
            java.util.concurrent.Executors.newCachedThreadPool(io.cairn.common.DaemonThreads.named("cairn-sender"));
    /** Volume option durability=always: every write is on disk on every replica, and committed, before it returns. */
    private final boolean writeThrough;
    private final InlineIo inline;
    /** Told the attributes every commit returns: the attribute cache, which must not keep an older size. */
    private final java.util.function.Consumer<InodeAttr> committed;
    private final ChunkFetch fetcher;
    private final SparseIo sparse;

    FileIo(MetaClient meta, StorageClient storage, int volumeId, long chunkSize, FsOptions options, DirtyBudget budget,
           Supplier<Collection<OpenInode>> openFiles, boolean writeThrough, long inlineSize, WriteBack writeBack,
           java.util.function.Consumer<InodeAttr> committed) {
        this.writeThrough = writeThrough;
        this.committed = committed;
        this.inline = new InlineIo(meta, volumeId, chunkSize, inlineSize, options.ioTimeout(), writeBack, committed);
        this.fetcher = new ChunkFetch(meta, storage, volumeId, chunkSize, options.ioTimeout(), senders);
        this.sparse = new SparseIo(fetcher, chunkSize, cred -> new ChunkControl(meta, storage, cred, options.ioTimeout()));
        this.meta = meta;
        this.storage = storage;
        this.volumeId = volumeId;
        this.chunkSize = chunkSize;
        this.options = options;
        this.budget = budget;
        this.openFiles = openFiles;
    }

    long chunkSize() {
        return chunkSize;
    }

    /** Holes: fallocate's PUNCH_HOLE and ZERO_RANGE, lseek's SEEK_DATA and SEEK_HOLE. */
    SparseIo sparse() {
        return sparse;
    }

    /** New files keep their bytes inline until they outgrow the volume's inline-size. */
    boolean inlineEnabled() {
        return inline.enabled();
    }

    void write(OpenInode f, Credentials cred, long offset, byte[] src, int srcOffset, int len) throws CairnException {
        if (offset < 0 || offset + len < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "write at negative offset " + offset);
        }
        f.writer = cred;
        reserve(f, cred, len);
        long grew = f.buffer.add(offset, src, srcOffset, len);
        budget.release(len - grew);  // overwritten buffered bytes were counted already
        f.size = Math.max(f.size, offset + len);
        f.pendingMtimeNs = nowNs();
        f.dropReadAhead();
        if (writeThrough) {
            commit(f, cred, true);
        } else if (f.buffer.bytes() >= options.flushThreshold()) {
            sendInBackground(f, cred);
        }
    }

    /**
     * Starts sending the buffer while the writer goes on buffering: one send per file at a time
     * (the writer waits for the previous one first), so a sequential writer's copies into the
     * buffer overlap with the network and the replicas.
     */
    private void sendInBackground(OpenInode f, Credentials cred) throws CairnException {
        if (f.layout.needsSpillCheck()) {
            send(f, cred);  // the file may keep inline bytes: they move to chunk 0 first, in this thread
            return;
        }
        settle(f);
        long held = f.buffer.bytes();
        List<WriteBuffer.Run> runs = f.buffer.drain(chunkSize);
        Map<Long, ChunkRef> known = known(f, runs);
        f.inflight = new OpenInode.Send(held, java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sendRuns(f.inode, cred, runs, known, false, false);
            } catch (CairnException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, senders));
    }

    /** Waits for the file's background send, if any, and records what it wrote. */
    void settle(OpenInode f) throws CairnException {
        OpenInode.Send s = f.inflight;
        if (s == null) {
            return;
        }
        f.inflight = null;
        try {
            apply(f, s.result().join());
        } catch (java.util.concurrent.CompletionException e) {
            CairnException c = e.getCause() instanceof CairnException ce ? ce
                    : new CairnException(ErrorCode.IO_ERROR, "sending written data failed: " + e.getCause(), e.getCause());
            f.writeError = c;
            throw c;
        } finally {
            budget.release(s.held());
        }
    }

    /** The placements this client knows for the runs' chunks. */
    private static Map<Long, ChunkRef> known(OpenInode f, List<WriteBuffer.Run> runs) {
        Map<Long, ChunkRef> known = new java.util.HashMap<>();
        for (WriteBuffer.Run run : runs) {
            ChunkRef ref = f.chunks.get(run.index());
            if (ref != null) {
                known.put(run.index(), ref);
            }
        }
        return known;
    }

    /** One run as written: where, how long, its chunk afterwards, and whether the write itself was made durable. */
    record Sent(long index, long offset, int length, ChunkRef ref, boolean synced) {
    }

    /**
     * Writes the runs to their chunks, allocating those not known ({@code spilling}: as the owner of
     * the file's spill); the runs of one chunk (in offset order, as the buffer drains them) go
     * together, their pieces pipelined, so scattered small writes do not wait for each other.
     */
    private List<Sent> sendRuns(long inode, Credentials cred, List<WriteBuffer.Run> runs, Map<Long, ChunkRef> known,
                                boolean spilling, boolean durable) throws CairnException {
        ChunkWriter writer = new ChunkWriter(meta, storage, cred, options.ioTimeout(), options.writeWindow());
        List<Sent> out = new java.util.ArrayList<>();
        for (int i = 0; i < runs.size(); ) {
            long index = runs.get(i).index();
            int j = i;
            long bytes = 0;
            List<ChunkWriter.Segment> segments = new java.util.ArrayList<>();
            for (; j < runs.size() && runs.get(j).index() == index; j++) {
                WriteBuffer.Run run = runs.get(j);
                segments.add(new ChunkWriter.Segment(run.offset() - index * chunkSize, run.data()));
                bytes += run.data().remaining();
            }
            ChunkRef ref = known.get(index);
            if (ref == null) {
                ref = spilling ? inline.allocate(inode, cred, index) : allocate(inode, cred, index);
            }
            // fsync of one piece: the write itself is made durable on every replica (one round
            // instead of a write and a sync). More pieces are in flight at once, so the primary may
            // apply the last before the others: those chunks get a sync of their own.
            boolean sync = durable && segments.size() == 1 && bytes <= ChunkWriter.PIECE;
            ref = writer.write(ref, segments, writeThrough || sync);
            known.put(index, ref);
            for (; i < j; i++) {
                WriteBuffer.Run run = runs.get(i);
                out.add(new Sent(index, run.offset(), run.data().remaining(), ref, sync));
            }
        }
        return out;
    }

    private void apply(OpenInode f, List<Sent> sent) {
        for (Sent s : sent) {
            f.chunks.put(s.index(), s.ref());
            f.pendingChunkEnds.merge(s.index(), s.offset() - s.index() * chunkSize + s.length(), Math::max);
            f.pendingEnd = Math.max(f.pendingEnd, s.offset() + s.length());
            if (s.synced()) {
                f.unsynced.remove(s.index());  // the replicas that took it hold every earlier acknowledged write too
            } else if (!writeThrough) {
                f.unsynced.add(s.index());
            }
        }
    }

    /** Back-pressure: buffer only what the mount's budget allows, sending other buffers to make room. */
    private void reserve(OpenInode f, Credentials cred, long n) throws CairnException {
        if (budget.tryAcquire(n)) {
            return;
        }
        send(f, cred);
        if (budget.tryAcquire(n)) {
            return;
        }
        for (OpenInode other : openFiles.get()) {
            if (other != f && (!other.buffer.isEmpty() || other.inflight != null) && other.lock.tryLock()) {
                try {
                    send(other, other.writer != null ? other.writer : cred);
                } catch (CairnException e) {
                    log.debug("sending inode {}'s buffer to make room failed: {}", other.inode, e.toString());
                } finally {
                    other.lock.unlock();
                }
                if (budget.tryAcquire(n)) {
                    return;
                }
            }
        }
        budget.acquire(n, options.ioTimeout());
    }

    /** Sends the buffered bytes to the replicas (not yet committed to meta), or commits them inline. */
    void send(OpenInode f, Credentials cred) throws CairnException {
        flush(f, cred, false);
    }

    /**
     * As {@link #send}; returns the attributes when the bytes went inline (committed with the
     * length), else null. A file leaving inline data has its old inline bytes sent to chunk 0 with
     * the buffer, made durable, and the spill ended by a commit at once: other writers wait for it.
     */
    private InodeAttr flush(OpenInode f, Credentials cred, boolean durable) throws CairnException {
        settle(f);
        if (f.buffer.isEmpty()) {
            return null;
        }
        long held = f.buffer.bytes();
        try {
            InodeAttr inlined = inline.commit(f, cred);
            if (inlined != null) {
                return inlined;
            }
            ChunkRef first = inline.spillIfInline(f, cred);
            if (first != null) {
                f.chunks.put(0L, first);
            }
            List<WriteBuffer.Run> runs = f.buffer.drain(chunkSize);
            apply(f, sendRuns(f.inode, cred, runs, known(f, runs), f.layout.spilling(), durable));
            if (f.layout.spilling()) {
                sync(f, cred);  // the inline bytes were durable: so are they in chunk 0 before they go
                commitLength(f, cred, false);
            }
            return null;
        } catch (CairnException e) {
            if (f.layout.spilling()) {
                f.layout.spillFailed();
            }
            if (f.buffer.isEmpty()) {
                f.writeError = e;  // the bytes left the buffer: the next flush or fsync reports it
            }
            throw e;
        } finally {
            budget.release(Math.max(0, held - f.buffer.bytes()));  // bytes given back to the buffer stay counted
        }
    }

    private void sync(OpenInode f, Credentials cred) throws CairnException {
        if (f.unsynced.isEmpty()) {
            return;
        }
        ChunkControl control = new ChunkControl(meta, storage, cred, options.ioTimeout());
        for (Long index : f.unsynced.toArray(new Long[0])) {
            ChunkRef ref = f.chunks.get(index);
            if (ref != null) {
                f.chunks.put(index, control.sync(ref));
            }
            f.unsynced.remove(index);
        }
    }

    /**
     * Sends what is buffered, makes it durable when {@code durable} (fsync), then commits length
     * and mtime to meta, ending this client's hold on the file's length if it had one. Returns the
     * attributes after the commit, or null if nothing was pending.
     */
    InodeAttr commit(OpenInode f, Credentials cred, boolean durable) throws CairnException {
        InodeAttr inlined = sendChecked(f, cred, durable);
        if (f.pendingEnd >= 0) {
            return commitLength(f, cred, false);
        }
        if (f.holdsLength) {
            meta.mutate(cred, MetaMutation.newBuilder().setReleaseLease(ReleaseLeaseRequest.newBuilder()
                    .setVolumeId(volumeId).setInode(f.inode)).build());
            f.holdsLength = false;
        }
        return inlined;
    }

    /**
     * fdatasync(2): the bytes and the length are durable on every replica of their chunks. While
     * {@code leaseUsable} (this client's session can be recalled), the meta group is told the length
     * only once a second: the first commit takes a lease on the file's length, later ones find the
     * replicas holding it (see the meta service's FileLeases). Returns the attributes if it committed.
     */
    InodeAttr datasync(OpenInode f, Credentials cred, java.util.function.BooleanSupplier leaseUsable) throws CairnException {
        InodeAttr inlined = sendChecked(f, cred, true);
        if (f.pendingEnd < 0) {
            return inlined;
        }
        boolean usable = leaseUsable.getAsBoolean();
        if (usable && f.holdsLength && System.nanoTime() - f.heldSinceNanos < HOLD_COMMIT_NANOS) {
            return null;
        }
        return commitLength(f, cred, usable);
    }

    /** How long a held length may stay ahead of the meta group while the holder keeps appending. */
    static final long HOLD_COMMIT_NANOS = 1_000_000_000L;

    /** Sends what is buffered and, when {@code durable}, makes it durable; reports an earlier failed send. */
    private InodeAttr sendChecked(OpenInode f, Credentials cred, boolean durable) throws CairnException {
        InodeAttr inlined = flush(f, cred, durable);  // inline bytes are durable once committed: the meta group fsyncs its log
        if (durable) {
            sync(f, cred);
        }
        CairnException failed = f.writeError;
        if (failed != null) {
            f.writeError = null;
            throw new CairnException(failed.code(), "an earlier write to the file failed: " + failed.getMessage(), failed);
        }
        return inlined;
    }

    /**
     * Commits the length and mtime of what was sent to the replicas (ending this client's spill, if
     * any), and takes ({@code hold}) or ends the client's hold on the file's length.
     */
    private InodeAttr commitLength(OpenInode f, Credentials cred, boolean hold) throws CairnException {
        CommitWriteRequest.Builder c = CommitWriteRequest.newBuilder().setVolumeId(volumeId).setInode(f.inode)
                .setSize(f.pendingEnd).setMtimeNs(f.pendingMtimeNs).setHoldLength(hold);
        for (Map.Entry<Long, Long> e : f.pendingChunkEnds.entrySet()) {
            c.addChunks(ChunkLength.newBuilder().setIndex(e.getKey()).setLength(e.getValue()));
        }
        inline.markCommit(f, c);
        InodeAttr attr = meta.mutate(cred, MetaMutation.newBuilder().setCommitWrite(c).build()).getAttr();
        committed.accept(attr);  // a spill's commit too, which no caller sees: the cache held the inline size
        f.holdsLength = hold;
        f.heldSinceNanos = System.nanoTime();
        f.layout.spillEnded();
        for (Map.Entry<Long, Long> e : f.pendingChunkEnds.entrySet()) {
            ChunkRef ref = f.chunks.get(e.getKey());
            if (ref != null && ref.info().getLength() < e.getValue()) {
                f.chunks.put(e.getKey(), ref.with(ref.info().toBuilder().setLength(e.getValue()).build()));
            }
        }
        f.pendingChunkEnds.clear();
        f.pendingEnd = -1;
        f.size = Math.max(f.size, attr.getSize());
        return attr;
    }

    /**
     * copy_file_range's destination: {@code n} bytes of chunk {@code source} from {@code sourceOffset}
     * (past {@code sourceLength} zeros) copied by the storage nodes to {@code offset} of {@code f},
     * recorded as a write that the file's next commit commits. The range must lie in one chunk.
     * Returns false, copying nothing, while the file is not known to keep its bytes in chunks
     * (inline bytes, or none yet): the caller copies through the client, whose writes decide.
     */
    boolean copyIn(OpenInode f, Credentials cred, long offset, int n, ChunkRef source, long sourceOffset,
                   long sourceLength) throws CairnException {
        send(f, cred);
        long index = offset / chunkSize;
        ChunkRef ref = fetcher.chunk(f, cred, index);
        if (f.layout.needsSpillCheck() || f.layout.spilling()) {
            return false;
        }
        if (ref == null) {
            ref = allocate(f.inode, cred, index);
        }
        f.writer = cred;
        ref = new ChunkControl(meta, storage, cred, options.ioTimeout())
                .copyIn(ref, offset - index * chunkSize, n, source, sourceOffset, sourceLength);
        f.size = Math.max(f.size, offset + n);
        f.pendingMtimeNs = nowNs();
        f.dropReadAhead();
        apply(f, List.of(new Sent(index, offset, n, ref, false)));
        if (writeThrough) {
            f.unsynced.add(index);
            commit(f, cred, true);
        }
        return true;
    }

    /** The chunk at {@code index} of the file as this client knows it or meta says; null for a hole. */
    ChunkRef chunk(OpenInode f, Credentials cred, long index) throws CairnException {
        return fetcher.chunk(f, cred, index);
    }

    /** Reads into {@code dst}; returns the bytes read, fewer at the end of the file. */
    int read(OpenInode f, Credentials cred, long offset, byte[] dst, int len) throws CairnException {
        send(f, cred);  // read-your-writes: the replicas hold everything this client wrote
        if (offset >= f.size || len == 0) {
            return 0;
        }
        int n = (int) Math.min(len, f.size - offset);
        if (f.ahead != null && offset >= f.aheadAt && offset + n <= f.aheadAt + f.ahead.length) {
            System.arraycopy(f.ahead, (int) (offset - f.aheadAt), dst, 0, n);
        } else if (offset == f.lastReadEnd && n < options.readAhead()) {
            long chunkEnd = (offset / chunkSize + 1) * chunkSize;
            int window = (int) Math.min(Math.min(options.readAhead(), f.size - offset), chunkEnd - offset);
            window = Math.max(window, n);
            byte[] ahead = new byte[window];
            fetcher.fetch(f, cred, offset, ahead, window);
            f.ahead = ahead;
            f.aheadAt = offset;
            System.arraycopy(ahead, 0, dst, 0, n);
        } else {
            fetcher.fetch(f, cred, offset, dst, n);
        }
        f.lastReadEnd = offset + n;
        return n;
    }

    private ChunkRef allocate(long inode, Credentials cred, long index) throws CairnException {
        return ChunkRef.allocate(meta, cred, volumeId, inode, index, chunkSize, options.ioTimeout());
    }

    /**
     * After meta changed the size from {@code oldSize} to {@code newSize}: the replicas of the
     * chunk the new end falls in are cut, so that bytes past the end cannot come back when the
     * file grows again; chunks past the end are gone (meta freed them).
     */
    void truncated(OpenInode f, Credentials cred, long oldSize, long newSize) throws CairnException {
        settle(f);
        f.dropReadAhead();
        f.size = newSize;
        if (newSize >= oldSize) {
            return;
        }
        f.layout.truncated(newSize);
        long boundary = newSize / chunkSize;
        long inChunk = newSize - boundary * chunkSize;
        f.chunks.keySet().removeIf(i -> i >= boundary);
        f.pendingChunkEnds.keySet().removeIf(i -> i >= boundary);
        f.unsynced.removeIf(i -> i >= boundary);
        if (inChunk == 0 || f.layout.inline()) {
            return;  // meta cut the inline bytes itself
        }
        ChunkRef ref = fetcher.chunk(f, cred, boundary);
        if (ref != null) {
            f.chunks.put(boundary, new ChunkControl(meta, storage, cred, options.ioTimeout()).truncate(ref, inChunk));
        }
    }

    /** Chunk 0 allocated with the file's create: the first write needs no AllocateChunk. */
    void knowFirstChunk(OpenInode f, io.cairn.proto.ChunkInfo chunk) {
        f.lock.lock();
        try {
            f.chunks.putIfAbsent(0L, new ChunkRef(volumeId, f.inode, 0, chunkSize, chunk));
        } finally {
            f.lock.unlock();
        }
    }

    /** A file this client just created, empty and without chunks: its first bytes go inline with no question. */
    void knowCreated(OpenInode f) {
        f.lock.lock();
        try {
            f.layout.created();
        } finally {
            f.lock.unlock();
        }
    }

    /** Forgets placements, inline bytes and read-ahead, so the next read asks meta (close-to-open). */
    void revalidate(OpenInode f, long committedSize) {
        f.dropReadAhead();
        if (!f.dirty()) {
            f.chunks.clear();
            f.layout.reset();
            f.size = committedSize;
        } else {
            f.size = Math.max(f.size, committedSize);
        }
    }

    static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
