package io.cairn.meta.namespace;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.pool.VolumeOptions;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.InlineExtent;
import io.cairn.proto.state.ChunkRecord;
import io.cairn.proto.state.InlineRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Inline data: the bytes of a small file kept in the meta service (table inline) instead of in
 * chunks. A file keeps them while it has no chunk and every byte written lies below the volume's
 * inline-size; the rest of the file up to its size reads as zeros.
 *
 * <p>The move to chunks (spill) is owned by one client: its AllocateChunk on a file with inline
 * bytes marks the file spilling, after which inline commits and other clients' allocations are
 * refused (SPILL_IN_PROGRESS) while readers still get the inline bytes; the owner copies them into
 * chunk 0 under its own writes and its CommitWrite with end_spill drops them in the same entry that
 * records chunk 0's length. A client that waited the I/O timeout takes the spill over, which moves
 * the file's chunks to the next epoch so that the first owner's late writes are fenced.
 */
public final class InlineOps {
    private InlineOps() {
    }

    /**
     * Checks an AllocateChunk against the file's inline bytes and, if it keeps some, starts (or
     * takes over) the spill for the caller. Returns normally when the allocation may go ahead.
     */
    static void beforeAllocate(Txn t, AllocateChunkRequest r) throws CairnException {
        InlineRecord rec = Records.inline(t, r.getInode());
        if (rec == null) {
            return;
        }
        ByteString owner = r.getSpillOwner();
        if (owner.isEmpty()) {
            throw new CairnException(ErrorCode.LAYOUT_CHANGED, "inode " + r.getInode()
                    + " keeps its bytes inline: allocating a chunk moves them to chunks and needs a spill_owner");
        }
        if (rec.getSpillOwner().equals(owner)) {
            return;
        }
        if (!rec.getSpillOwner().isEmpty()) {
            if (!r.getTakeOverSpill()) {
                throw spillInProgress(r.getInode());
            }
            fenceChunks(t, r.getInode());
        }
        Records.putInline(t, r.getInode(), rec.toBuilder().setSpillOwner(owner).build());
    }

    /** Every chunk of the inode at the next epoch, same placement: writes at the old epoch are refused. */
    private static void fenceChunks(Txn t, long inode) {
        List<byte[]> keys = new ArrayList<>();
        List<ChunkRecord> recs = new ArrayList<>();
        t.scan(Table.CHUNKS, MetaSchema.u64(inode), null, (k, v) -> {
            keys.add(k);
            recs.add(Records.parse(v, ChunkRecord.parser()));
            return true;
        });
        for (int i = 0; i < keys.size(); i++) {
            ChunkRecord c = recs.get(i);
            Records.putChunk(t, inode, MetaSchema.readU64(keys.get(i), 8), c.toBuilder().setEpoch(c.getEpoch() + 1).build());
        }
    }

    /**
     * Validates the inline side of a CommitWrite before anything is written, and returns how far
     * the inline bytes reach afterwards (0 when the file keeps none): the size may grow that far.
     */
    static long checkCommit(ReadView v, VolumeRecord vol, CommitWriteRequest r) throws CairnException {
        InlineRecord rec = Records.inline(v, r.getInode());
        if (!r.getEndSpill().isEmpty()) {
            if (r.getInlineCount() > 0) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a commit that ends a spill carries no inline bytes");
            }
            if (rec == null || !rec.getSpillOwner().equals(r.getEndSpill())) {
                throw new CairnException(ErrorCode.IO_ERROR, "the move of inode " + r.getInode() + " to chunks was taken "
                        + "over by another client after this one's I/O timeout; this client's write is refused");
            }
            return 0;
        }
        if (r.getInlineCount() == 0) {
            if (rec != null && r.getChunksCount() > 0) {
                throw spillInProgress(r.getInode());  // chunks exist only once a spill started
            }
            return rec == null ? 0 : rec.getData().size();
        }
        if (r.getChunksCount() > 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a commit carries inline bytes or chunk lengths, not both");
        }
        if (rec != null && !rec.getSpillOwner().isEmpty()) {
            throw spillInProgress(r.getInode());
        }
        boolean hasChunk = false;
        if (rec == null) {
            boolean[] any = {false};
            v.scan(Table.CHUNKS, MetaSchema.u64(r.getInode()), null, (k, val) -> {
                any[0] = true;
                return false;
            });
            hasChunk = any[0];
        }
        if (hasChunk) {
            throw new CairnException(ErrorCode.LAYOUT_CHANGED, "inode " + r.getInode()
                    + " keeps its bytes in chunks; write them there");
        }
        long limit = VolumeOptions.inlineSize(vol.getOptionsMap());
        long reach = rec == null ? 0 : rec.getData().size();
        for (InlineExtent e : r.getInlineList()) {
            long end = e.getOffset() + e.getData().size();
            if (e.getOffset() < 0 || end < 0) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "inline bytes at offset "
                        + Long.toUnsignedString(e.getOffset()) + " are past any file");
            }
            if (end > limit) {
                throw new CairnException(ErrorCode.LAYOUT_CHANGED, "inline bytes up to " + end + " are over inline-size "
                        + limit + " of volume " + vol.getName() + "; write them to chunks");
            }
            if (Long.compareUnsigned(r.getSize(), end) < 0) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "size " + Long.toUnsignedString(r.getSize())
                        + " ends before the inline bytes committed with it (" + end + ")");
            }
            reach = Math.max(reach, end);
        }
        return reach;
    }

    /** Applies a CommitWrite checked by {@link #checkCommit}: patches the inline bytes or ends the spill. */
    static void applyCommit(Txn t, CommitWriteRequest r) {
        if (!r.getEndSpill().isEmpty()) {
            Records.deleteInline(t, r.getInode());
            return;
        }
        if (r.getInlineCount() == 0) {
            return;
        }
        InlineRecord rec = Records.inline(t, r.getInode());
        byte[] data = rec == null ? new byte[0] : rec.getData().toByteArray();
        for (InlineExtent e : r.getInlineList()) {
            int end = (int) (e.getOffset() + e.getData().size());
            if (end > data.length) {
                data = java.util.Arrays.copyOf(data, end);  // a hole below the write reads as zeros
            }
            e.getData().copyTo(data, (int) e.getOffset());
        }
        Records.putInline(t, r.getInode(), InlineRecord.newBuilder().setData(ByteString.copyFrom(data)).build());
    }

    /** A truncate to {@code newSize}: the inline bytes past it are cut (and dropped at 0 unless a spill needs the record). */
    static void truncate(Txn t, long inode, long newSize) {
        InlineRecord rec = Records.inline(t, inode);
        if (rec == null || rec.getData().size() <= newSize) {
            return;
        }
        if (newSize == 0 && rec.getSpillOwner().isEmpty()) {
            Records.deleteInline(t, inode);
            return;
        }
        Records.putInline(t, inode, rec.toBuilder().setData(rec.getData().substring(0, (int) newSize)).build());
    }

    private static CairnException spillInProgress(long inode) {
        return new CairnException(ErrorCode.SPILL_IN_PROGRESS, "another client is moving inode " + inode
                + "'s inline bytes to chunks; wait for it to finish");
    }
}
