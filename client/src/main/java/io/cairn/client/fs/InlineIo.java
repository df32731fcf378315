package io.cairn.client.fs;

import com.google.protobuf.ByteString;
import io.cairn.client.MetaClient;
import io.cairn.client.data.ChunkRef;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkList;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.GetChunksRequest;
import io.cairn.proto.InlineExtent;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.MetaQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The inline side of the data path: a small file's bytes committed with its length in one
 * CommitWrite (no storage node involved), and the move of a file's inline bytes to chunk 0 when
 * it grows past the volume's inline-size (the spill; see the meta service's InlineOps for the
 * protocol). Every method expects the caller to hold the file's lock.
 */
final class InlineIo {
    private final MetaClient meta;
    private final int volumeId;
    private final long chunkSize;
    /** The volume's inline-size; 0: files never go inline (those already inline still read and spill). */
    private final long limit;
    private final Duration ioTimeout;
    /** Where the commit of a file created ahead of the meta group goes too; null without write-back. */
    private final WriteBack writeBack;
    /** Told the attributes after every inline commit, whichever call made it (a read, a flush, back-pressure). */
    private final java.util.function.Consumer<InodeAttr> committed;

    InlineIo(MetaClient meta, int volumeId, long chunkSize, long limit, Duration ioTimeout, WriteBack writeBack,
             java.util.function.Consumer<InodeAttr> committed) {
        this.writeBack = writeBack;
        this.committed = committed;
        this.meta = meta;
        this.volumeId = volumeId;
        this.chunkSize = chunkSize;
        this.limit = limit;
        this.ioTimeout = ioTimeout;
    }

    boolean enabled() {
        return limit > 0;
    }

    /**
     * Commits the buffered bytes inline, with the file's new length and mtime, if they all lie
     * below the inline-size and the file may keep them so. Returns the attributes after the
     * commit, or null when the bytes are to go to chunks (the buffer is then as it was).
     */
    InodeAttr commit(OpenInode f, Credentials cred) throws CairnException {
        if (limit == 0 || f.buffer.isEmpty() || f.buffer.end() > limit || !f.layout.mayCommitInline()) {
            return null;
        }
        List<WriteBuffer.Run> runs = f.buffer.drain(chunkSize);
        List<InlineExtent> extents = new ArrayList<>();
        long end = 0;
        for (WriteBuffer.Run run : runs) {
            extents.add(InlineExtent.newBuilder().setOffset(run.offset()).setData(ByteString.copyFrom(run.data().duplicate()))
                    .build());
            end = Math.max(end, run.offset() + run.data().remaining());
        }
        InodeAttr attr;
        try {
            CommitWriteRequest commit = CommitWriteRequest.newBuilder().setVolumeId(volumeId).setInode(f.inode)
                    .setSize(end).setMtimeNs(f.pendingMtimeNs).addAllInline(extents).build();
            InodeAttr ahead = writeBack == null ? null : writeBack.commitAhead(cred, commit);
            attr = ahead != null ? ahead
                    : meta.mutate(cred, MetaMutation.newBuilder().setCommitWrite(commit).build()).getAttr();
        } catch (CairnException e) {
            for (WriteBuffer.Run run : runs) {
                byte[] b = new byte[run.data().remaining()];
                run.data().duplicate().get(b);
                f.buffer.add(run.offset(), b, 0, b.length);
            }
            if (e.code() == ErrorCode.LAYOUT_CHANGED || e.code() == ErrorCode.SPILL_IN_PROGRESS) {
                f.layout.refused();
                return null;
            }
            throw e;
        }
        f.layout.committed(extents);
        f.size = Math.max(f.size, attr.getSize());
        committed.accept(attr);
        return attr;
    }

    /**
     * Before the file's first write to chunks: if meta holds inline bytes for it, this client
     * starts the spill (allocating chunk 0, which waits for or takes over another client's spill)
     * and puts those bytes into the buffer under its own writes, so they go to chunk 0 with them;
     * the commit that follows ends the spill. Returns chunk 0 when it allocated it, else null.
     */
    ChunkRef spillIfInline(OpenInode f, Credentials cred) throws CairnException {
        if (!f.layout.needsSpillCheck()) {
            return null;
        }
        ChunkRef first = allocate(f.inode, cred, 0);
        ChunkList list = meta.query(cred, MetaQuery.newBuilder().setGetChunks(GetChunksRequest.newBuilder()
                .setVolumeId(volumeId).setInode(f.inode).setFirstIndex(0).setCount(1)).build()).getChunks();
        if (list.getInline()) {
            f.buffer.addUnder(0, list.getInlineData().toByteArray());
        }
        f.layout.inChunks(list.getInline());
        return first;
    }

    /**
     * A chunk allocated as the owner of the file's spill: starts it if the file keeps inline
     * bytes, waits for (then takes over) another client's, or is a plain allocation otherwise.
     */
    ChunkRef allocate(long inode, Credentials cred, long index) throws CairnException {
        return ChunkRef.allocate(meta, cred, AllocateChunkRequest.newBuilder().setVolumeId(volumeId)
                .setInode(inode).setIndex(index).setSpillOwner(meta.clientId()).build(), chunkSize, ioTimeout);
    }

    /** The end_spill field of the next commit: this client's id while it owns the file's spill. */
    void markCommit(OpenInode f, CommitWriteRequest.Builder c) {
        if (f.layout.spilling()) {
            c.setEndSpill(meta.clientId());
        }
    }
}
