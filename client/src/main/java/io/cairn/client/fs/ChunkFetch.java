package io.cairn.client.fs;

import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkReader;
import io.cairn.client.data.ChunkRef;
import io.cairn.client.data.ChunkWriter;
import io.cairn.client.data.StorageClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.Credentials;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.MetaQuery;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The read side of open files: a file's chunks looked up in its placement cache or asked of meta
 * (which also tells whether the file keeps its bytes inline), and bytes fetched from the replicas
 * or the inline bytes. Every method expects the caller to hold the file's lock.
 */
final class ChunkFetch {
    private final MetaClient meta;
    private final StorageClient storage;
    private final int volumeId;
    private final long chunkSize;
    private final Duration ioTimeout;
    private final Executor senders;

    ChunkFetch(MetaClient meta, StorageClient storage, int volumeId, long chunkSize, Duration ioTimeout, Executor senders) {
        this.meta = meta;
        this.storage = storage;
        this.volumeId = volumeId;
        this.chunkSize = chunkSize;
        this.ioTimeout = ioTimeout;
        this.senders = senders;
    }

    /** One 1 MiB (or shorter) piece of a fetch: where in dst, which chunk, where in it, how much the replicas hold. */
    private record Piece(int at, long index, ChunkRef ref, long inChunk, int len, int fromReplica) {
    }

    /**
     * Fills dst[0, n) from the replicas, pieces of at most 1 MiB in parallel; holes and bytes
     * past a chunk's length read as zeros.
     */
    void fetch(OpenInode f, Credentials cred, long offset, byte[] dst, int n) throws CairnException {
        if (f.layout.unknown()) {
            chunk(f, cred, offset / chunkSize);  // learns whether the file keeps its bytes inline
        }
        if (f.layout.inline()) {
            f.layout.read(offset, dst, n);  // no storage node involved
            return;
        }
        List<Piece> pieces = new java.util.ArrayList<>();
        int at = 0;
        while (at < n) {
            long pos = offset + at;
            long index = pos / chunkSize;
            long inChunk = pos - index * chunkSize;
            int len = (int) Math.min(Math.min(n - at, chunkSize - inChunk), ChunkWriter.PIECE);
            ChunkRef ref = chunk(f, cred, index);
            long valid = ref == null ? 0 : Math.max(ref.info().getLength(), f.pendingChunkEnds.getOrDefault(index, 0L));
            pieces.add(new Piece(at, index, ref, inChunk, len, (int) Math.max(0, Math.min(len, valid - inChunk))));
            at += len;
        }
        ChunkReader reader = new ChunkReader(meta, storage, cred, ioTimeout);
        List<java.util.concurrent.CompletableFuture<ChunkReader.Result>> reads = new java.util.ArrayList<>();
        for (Piece p : pieces) {
            reads.add(p.fromReplica() == 0 ? null : java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.read(p.ref(), p.inChunk(), p.fromReplica());
                } catch (CairnException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, pieces.size() == 1 ? Runnable::run : senders));
        }
        CairnException failed = null;
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            int got = 0;
            if (reads.get(i) != null) {
                try {
                    ChunkReader.Result r = reads.get(i).join();
                    f.chunks.put(p.index(), r.ref());
                    got = r.data().remaining();
                    r.data().get(dst, p.at(), got);
                } catch (java.util.concurrent.CompletionException e) {
                    CairnException c = e.getCause() instanceof CairnException ce ? ce
                            : new CairnException(ErrorCode.IO_ERROR, "read failed: " + e.getCause(), e.getCause());
                    if (c.code() == ErrorCode.NOT_FOUND) {
                        f.chunks.remove(p.index());  // truncated away by another client: a hole now
                    } else if (failed == null) {
                        failed = c;
                    }
                }
            }
            Arrays.fill(dst, p.at() + got, p.at() + p.len(), (byte) 0);
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** The chunk at {@code index} from the placement cache or meta; null for a hole. */
    ChunkRef chunk(OpenInode f, Credentials cred, long index) throws CairnException {
        if (f.chunks.containsKey(index)) {
            return f.chunks.get(index);
        }
        int count = 64;
        io.cairn.proto.ChunkList list = meta.query(cred, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(volumeId).setInode(f.inode).setFirstIndex(index).setCount(count)).build()).getChunks();
        f.layout.saw(list);
        List<ChunkInfo> found = list.getChunksList();
        for (long i = index; i < index + count; i++) {
            f.chunks.putIfAbsent(i, null);
        }
        for (ChunkInfo c : found) {
            f.chunks.put(c.getIndex(), new ChunkRef(volumeId, f.inode, c.getIndex(), chunkSize, c));
        }
        return f.chunks.get(index);
    }
}
