package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkControl;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
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
    /** Volume option durability=always: every write is on disk on every replica, and committed, before it returns. */
    private final boolean writeThrough;

    FileIo(MetaClient meta, StorageClient storage, int volumeId, long chunkSize, FsOptions options, DirtyBudget budget,
           Supplier<Collection<OpenInode>> openFiles, boolean writeThrough) {
        this.writeThrough = writeThrough;
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
            send(f, cred);
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
            if (other != f && !other.buffer.isEmpty() && other.lock.tryLock()) {
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

    /** Sends the buffered bytes to the replicas (not yet committed to meta). */
    void send(OpenInode f, Credentials cred) throws CairnException {
        if (f.buffer.isEmpty()) {
            return;
        }
        long held = f.buffer.bytes();
        List<WriteBuffer.Run> runs = f.buffer.drain(chunkSize);
        try {
            ChunkWriter writer = new ChunkWriter(meta, storage, cred, options.ioTimeout(), options.writeWindow());
            for (WriteBuffer.Run run : runs) {
                ChunkRef ref = allocate(f, cred, run.index());
                long inChunk = run.offset() - run.index() * chunkSize;
                ref = writer.write(ref, inChunk, run.data(), writeThrough);
                f.chunks.put(run.index(), ref);
                long end = inChunk + run.data().remaining();
                f.pendingChunkEnds.merge(run.index(), end, Math::max);
                f.pendingEnd = Math.max(f.pendingEnd, run.offset() + run.data().remaining());
                if (!writeThrough) {
                    f.unsynced.add(run.index());
                }
            }
        } catch (CairnException e) {
            f.writeError = e;
            throw e;
        } finally {
            budget.release(held);
        }
    }

    /**
     * Sends what is buffered, makes it durable when {@code durable} (fsync), then commits length
     * and mtime to meta. Returns the attributes after the commit, or null if nothing was pending.
     */
    InodeAttr commit(OpenInode f, Credentials cred, boolean durable) throws CairnException {
        send(f, cred);
        if (durable && !f.unsynced.isEmpty()) {
            ChunkControl control = new ChunkControl(meta, storage, cred, options.ioTimeout());
            for (Long index : f.unsynced.toArray(new Long[0])) {
                ChunkRef ref = f.chunks.get(index);
                if (ref != null) {
                    f.chunks.put(index, control.sync(ref));
                }
                f.unsynced.remove(index);
            }
        }
        CairnException failed = f.writeError;
        if (failed != null) {
            f.writeError = null;
            throw new CairnException(failed.code(), "an earlier write to the file failed: " + failed.getMessage(), failed);
        }
        if (f.pendingEnd < 0) {
            return null;
        }
        CommitWriteRequest.Builder c = CommitWriteRequest.newBuilder().setVolumeId(volumeId).setInode(f.inode)
                .setSize(f.pendingEnd).setMtimeNs(f.pendingMtimeNs);
        for (Map.Entry<Long, Long> e : f.pendingChunkEnds.entrySet()) {
            c.addChunks(ChunkLength.newBuilder().setIndex(e.getKey()).setLength(e.getValue()));
        }
        InodeAttr attr = meta.mutate(cred, MetaMutation.newBuilder().setCommitWrite(c).build()).getAttr();
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
            fetch(f, cred, offset, ahead, window);
            f.ahead = ahead;
            f.aheadAt = offset;
            System.arraycopy(ahead, 0, dst, 0, n);
        } else {
            fetch(f, cred, offset, dst, n);
        }
        f.lastReadEnd = offset + n;
        return n;
    }

    /** Fills dst[0, n) from the replicas; holes and bytes past a chunk's length read as zeros. */
    private void fetch(OpenInode f, Credentials cred, long offset, byte[] dst, int n) throws CairnException {
        ChunkReader reader = new ChunkReader(meta, storage, cred, options.ioTimeout());
        int at = 0;
        while (at < n) {
            long pos = offset + at;
            long index = pos / chunkSize;
            long inChunk = pos - index * chunkSize;
            int len = (int) Math.min(n - at, chunkSize - inChunk);
            ChunkRef ref = chunk(f, cred, index);
            long valid = ref == null ? 0 : Math.max(ref.info().getLength(), f.pendingChunkEnds.getOrDefault(index, 0L));
            int fromReplica = (int) Math.max(0, Math.min(len, valid - inChunk));
            int got = 0;
            if (fromReplica > 0) {
                try {
                    ChunkReader.Result r = reader.read(ref, inChunk, fromReplica);
                    f.chunks.put(index, r.ref());
                    got = r.data().remaining();
                    r.data().get(dst, at, got);
                } catch (CairnException e) {
                    if (e.code() != ErrorCode.NOT_FOUND) {
                        throw e;
                    }
                    f.chunks.remove(index);  // truncated away by another client: a hole now
                }
            }
            Arrays.fill(dst, at + got, at + len, (byte) 0);
            at += len;
        }
    }

    /** The chunk at {@code index} from the placement cache or meta; null for a hole. */
    private ChunkRef chunk(OpenInode f, Credentials cred, long index) throws CairnException {
        if (f.chunks.containsKey(index)) {
            return f.chunks.get(index);
        }
        int count = 64;
        List<ChunkInfo> found = meta.query(cred, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(volumeId).setInode(f.inode).setFirstIndex(index).setCount(count)).build())
                .getChunks().getChunksList();
        for (long i = index; i < index + count; i++) {
            f.chunks.putIfAbsent(i, null);
        }
        for (ChunkInfo c : found) {
            f.chunks.put(c.getIndex(), new ChunkRef(volumeId, f.inode, c.getIndex(), chunkSize, c));
        }
        return f.chunks.get(index);
    }

    private ChunkRef allocate(OpenInode f, Credentials cred, long index) throws CairnException {
        ChunkRef known = f.chunks.get(index);
        if (known != null) {
            return known;
        }
        ChunkRef ref = ChunkRef.allocate(meta, cred, volumeId, f.inode, index, chunkSize, options.ioTimeout());
        f.chunks.put(index, ref);
        return ref;
    }

    /**
     * After meta changed the size from {@code oldSize} to {@code newSize}: the replicas of the
     * chunk the new end falls in are cut, so that bytes past the end cannot come back when the
     * file grows again; chunks past the end are gone (meta freed them).
     */
    void truncated(OpenInode f, Credentials cred, long oldSize, long newSize) throws CairnException {
        f.dropReadAhead();
        f.size = newSize;
        if (newSize >= oldSize) {
            return;
        }
        long boundary = newSize / chunkSize;
        long inChunk = newSize - boundary * chunkSize;
        f.chunks.keySet().removeIf(i -> i >= boundary);
        f.pendingChunkEnds.keySet().removeIf(i -> i >= boundary);
        f.unsynced.removeIf(i -> i >= boundary);
        if (inChunk == 0) {
            return;
        }
        ChunkRef ref = chunk(f, cred, boundary);
        if (ref != null) {
            f.chunks.put(boundary, new ChunkControl(meta, storage, cred, options.ioTimeout()).truncate(ref, inChunk));
        }
    }

    /** Forgets placements and read-ahead, so the next read asks meta (close-to-open). */
    void revalidate(OpenInode f, long committedSize) {
        f.dropReadAhead();
        if (!f.dirty()) {
            f.chunks.clear();
            f.size = committedSize;
        } else {
            f.size = Math.max(f.size, committedSize);
        }
    }

    static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static ByteBuffer wrap(byte[] b) {
        return ByteBuffer.wrap(b);
    }
}
