package io.cairn.meta.rpc;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.repair.ReplicaLengths;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.state.ChunkRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The leader's check, before it proposes a CommitWrite, that every chunk length the commit
 * extends is held by the chunk's replicas in its current epoch: a commit cannot give a file bytes
 * that no replica has. Only extensions past the length meta already records for the chunk are
 * asked about (that length was checked when it was committed); each costs one call to the
 * chunk's primary, which acknowledged the write only once every replica of the epoch had it. A
 * primary that cannot answer is passed over for the next replica of the placement.
 *
 * <p>What apply checks deterministically (the chunk exists, lengths within the chunk size, the
 * size within the chunks' ends) is left to {@link ChunkOps#commitWrite}; requests this cannot
 * judge pass through to it.
 */
public final class CommitBacking {
    private final Supplier<ReadView> committed;
    private final ReplicaLengths lengths;

    public CommitBacking(Supplier<ReadView> committed, ReplicaLengths lengths) {
        this.committed = committed;
        this.lengths = lengths;
    }

    /** Completes when the commit's extensions are backed; fails with INVALID_ARGUMENT when one is not. */
    public CompletableFuture<Void> verify(CommitWriteRequest r) {
        ReadView v = committed.get();
        VolumeRecord vol = Records.volume(v, r.getVolumeId());
        if (vol == null) {
            return CompletableFuture.completedFuture(null);  // apply answers
        }
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (ChunkLength cl : r.getChunksList()) {
            ChunkRecord rec = cl.getIndex() < 0 ? null : Records.chunk(v, r.getInode(), cl.getIndex());
            if (rec == null || cl.getLength() <= rec.getLength() || cl.getLength() > vol.getChunkSize()) {
                continue;  // nothing new to back, or apply refuses it
            }
            ChunkInfo chunk = ChunkOps.info(v, cl.getIndex(), rec);
            checks.add(backed(chunk, vol.getChunkSize(), r.getVolumeId(), r.getInode(), cl.getLength(), 0, null));
        }
        return checks.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> backed(ChunkInfo chunk, long chunkSize, int volumeId, long inode, long wanted,
                                           int i, CairnException lastError) {
        if (i >= chunk.getPlacementCount()) {
            return CompletableFuture.failedFuture(new CairnException(ErrorCode.UNAVAILABLE, "no replica of chunk "
                    + chunk.getIndex() + " of inode " + inode + " told its length to check the commit"
                    + (lastError == null ? "" : ": " + lastError.getMessage()) + "; retry"));
        }
        Replica replica = chunk.getPlacement(i);
        return lengths.length(chunk, chunkSize, volumeId, inode, replica).handle((held, error) -> {
            CairnException e = error == null ? null : unwrap(error);
            if (e != null && e.code() != ErrorCode.NOT_FOUND) {
                return backed(chunk, chunkSize, volumeId, inode, wanted, i + 1, e);
            }
            long length = e == null ? held : 0;
            if (length >= wanted) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return CompletableFuture.<Void>failedFuture(notBacked(chunk, inode, wanted, replica, length));
        }).thenCompose(f -> f);
    }

    static CairnException notBacked(ChunkInfo chunk, long inode, long wanted, Replica replica, long held) {
        return new CairnException(ErrorCode.INVALID_ARGUMENT, "length " + wanted + " of chunk " + chunk.getIndex()
                + " of inode " + inode + " is not backed by the replicas: brick " + replica.getBrickId() + " holds "
                + held + " bytes at epoch " + chunk.getEpoch() + "; the file is unchanged");
    }

    private static CairnException unwrap(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return e instanceof CairnException c ? c : new CairnException(ErrorCode.UNAVAILABLE, e.toString(), e);
    }

    public void close() {
        lengths.close();
    }
}
