package io.cairn.meta.namespace;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.AllocateChunkRequest;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkLength;
import io.cairn.proto.CommitWriteRequest;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.Replica;
import io.cairn.proto.UpdatePlacementRequest;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.ChunkRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.NodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Chunk records of regular files: allocation with a placement, write commits, truncation. */
public final class ChunkOps {
    /** The largest file size, as for ext4 with 4 KiB blocks on 64-bit Linux (16 TiB) times 64. */
    public static final long MAX_FILE_SIZE = 1L << 50;
    public static final int MAX_CHUNKS_PER_QUERY = 1024;

    private ChunkOps() {
    }

    /**
     * The chunk record, created on first touch with the placement the leader chose before
     * proposing; a racing second allocation returns the first one's record.
     */
    public static ChunkInfo allocate(Txn t, ApplyContext c, AllocateChunkRequest r) throws CairnException {
        VolumeRecord vol = Inodes.startedVolume(t, r.getVolumeId());
        regularFile(t, r.getVolumeId(), r.getInode());
        checkIndex(vol, r.getIndex());
        InlineOps.beforeAllocate(t, r);
        ChunkRecord existing = Records.chunk(t, r.getInode(), r.getIndex());
        if (existing != null) {
            return info(t, r.getIndex(), existing);
        }
        if (r.getPlacementCount() == 0) {
            throw new CairnException(ErrorCode.NO_PLACEMENT, "no placement was chosen for the chunk");
        }
        Set<Long> distinct = new HashSet<>();
        for (long brick : r.getPlacementList()) {
            if (!vol.getBricksList().contains(brick) || !distinct.add(brick)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                        "placement brick " + brick + " is not a distinct brick of volume " + vol.getName());
            }
        }
        Counters counters = Records.counters(t);
        Records.putCounters(t, counters.toBuilder().setNextChunk(counters.getNextChunk() + 1).build());
        ChunkRecord rec = ChunkRecord.newBuilder()
                .setChunkId(counters.getNextChunk())
                .setEpoch(1)
                .setLength(0)
                .addAllPlacement(r.getPlacementList())
                .build();
        Records.putChunk(t, r.getInode(), r.getIndex(), rec);
        return info(t, r.getIndex(), rec);
    }

    /**
     * Chunk 0 of a regular file just created with a placement the leader chose, or nothing when
     * none was chosen or it no longer fits the volume (the first write then allocates). Validates
     * before writing anything, so a refusal leaves the create as it is.
     */
    public static java.util.Optional<ChunkInfo> firstChunk(Txn t, ApplyContext c, io.cairn.proto.CreateRequest r,
                                                           InodeAttr created) {
        if (r.getFirstChunkPlacementCount() == 0 || !FileMode.isRegular(created.getMode())) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(allocate(t, c, AllocateChunkRequest.newBuilder().setVolumeId(r.getVolumeId())
                    .setInode(created.getInode()).setIndex(0).addAllPlacement(r.getFirstChunkPlacementList()).build()));
        } catch (CairnException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * A new placement at the next epoch. Refused if the chunk moved on (STALE_EPOCH), or if the
     * new placement has fewer than min-size replicas (QUORUM_NOT_MET): then the chunk takes no
     * I/O until enough replicas are back.
     */
    public static ChunkInfo updatePlacement(Txn t, ApplyContext c, UpdatePlacementRequest r) throws CairnException {
        VolumeRecord vol = Records.volume(t, r.getVolumeId());
        if (vol == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "volume id " + r.getVolumeId() + " does not exist");
        }
        ChunkRecord rec = Records.chunk(t, r.getInode(), r.getIndex());
        if (rec == null || rec.getChunkId() != r.getChunkId()) {
            throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + Long.toHexString(r.getChunkId())
                    + " is not chunk " + r.getIndex() + " of inode " + r.getInode() + " (deleted or truncated away)");
        }
        if (rec.getEpoch() != r.getExpectedEpoch()) {
            throw new io.cairn.common.StaleEpochException("chunk " + Long.toHexString(r.getChunkId()) + " is at epoch "
                    + rec.getEpoch() + ", the change was asked for epoch " + r.getExpectedEpoch(), rec.getEpoch());
        }
        Set<Long> distinct = new HashSet<>();
        for (long brick : r.getPlacementList()) {
            if (!vol.getBricksList().contains(brick) || !distinct.add(brick)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                        "placement brick " + brick + " is not a distinct brick of volume " + vol.getName());
            }
        }
        if (!io.cairn.common.Quorum.mayKeep(r.getPlacementCount(), vol.getMinSize())) {
            throw new CairnException(ErrorCode.QUORUM_NOT_MET, "chunk " + Long.toHexString(r.getChunkId()) + " would keep "
                    + r.getPlacementCount() + " replicas, min-size of volume " + vol.getName() + " is " + vol.getMinSize()
                    + "; it takes no I/O until enough replicas are back");
        }
        ChunkRecord next = rec.toBuilder().setEpoch(rec.getEpoch() + 1).clearPlacement()
                .addAllPlacement(r.getPlacementList()).build();
        Records.putChunk(t, r.getInode(), r.getIndex(), next);
        return info(t, r.getIndex(), next);
    }

    /**
     * Data first, metadata last: the bytes are on every replica, now length and mtime follow. The
     * size may grow only as far as the file's chunks reach once their lengths are committed: a size
     * past that would have no bytes behind it (the leader checked the lengths against the replicas
     * before proposing, see CommitBacking).
     */
    public static InodeAttr commitWrite(Txn t, ApplyContext c, CommitWriteRequest r) throws CairnException {
        VolumeRecord vol = Inodes.startedVolume(t, r.getVolumeId());
        InodeRecord ino = regularFile(t, r.getVolumeId(), r.getInode());
        checkSize(r.getSize());
        FileLeases.check(c, r);
        long reach = Math.max(ino.getSize(), InlineOps.checkCommit(t, vol, r));
        for (ChunkLength cl : r.getChunksList()) {
            checkIndex(vol, cl.getIndex());
            if (Long.compareUnsigned(cl.getLength(), vol.getChunkSize()) > 0) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "chunk length " + Long.toUnsignedString(cl.getLength())
                        + " is over the chunk size " + vol.getChunkSize());
            }
            ChunkRecord rec = Records.chunk(t, r.getInode(), cl.getIndex());
            if (rec == null) {
                throw new CairnException(ErrorCode.NOT_FOUND,
                        "chunk " + cl.getIndex() + " of inode " + r.getInode() + " was never allocated");
            }
            reach = Math.max(reach, cl.getIndex() * vol.getChunkSize() + Math.max(rec.getLength(), cl.getLength()));
        }
        if (r.getSize() > reach) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "size " + r.getSize() + " of inode " + r.getInode()
                    + " is not backed by the replicas: its chunks reach " + reach + " bytes; the file is unchanged");
        }
        InlineOps.applyCommit(t, r);
        for (ChunkLength cl : r.getChunksList()) {
            ChunkRecord rec = Records.chunk(t, r.getInode(), cl.getIndex());
            if (cl.getLength() > rec.getLength()) {
                Records.putChunk(t, r.getInode(), cl.getIndex(), rec.toBuilder().setLength(cl.getLength()).build());
            }
        }
        boolean root = Permissions.isRoot(c.cred());
        long mtime = r.getMtimeNs() != 0 ? r.getMtimeNs() : c.nowNs();
        InodeRecord after = Inodes.update(t, r.getInode(), b -> {
            b.setSize(Math.max(b.getSize(), r.getSize())).setMtimeNs(mtime).setCtimeNs(c.nowNs());
            return root ? b : b.setMode(FileMode.killPrivileges(b.getMode()));
        });
        FileLeases.afterCommit(t, c, r);
        return Inodes.toAttr(r.getInode(), after);
    }

    /**
     * The chunk's length cut to what its replicas still hold after a crash, and the file's size to
     * the end of that prefix if it was longer (later chunks are freed). Root only: the repair of
     * the meta leader sends it; a changed chunk (epoch, length) means a writer came first.
     */
    public static InodeAttr trimChunk(Txn t, ApplyContext c, io.cairn.proto.TrimChunkRequest r) throws CairnException {
        if (!Permissions.isRoot(c.cred())) {
            throw new CairnException(ErrorCode.NOT_PERMITTED, "only the meta service's repair cuts a chunk to its replicas");
        }
        VolumeRecord vol = Records.volume(t, r.getVolumeId());
        if (vol == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "volume " + r.getVolumeId() + " does not exist");
        }
        InodeRecord ino = regularFile(t, r.getVolumeId(), r.getInode());
        ChunkRecord rec = Records.chunk(t, r.getInode(), r.getIndex());
        if (rec == null || rec.getChunkId() != r.getChunkId() || rec.getEpoch() != r.getExpectedEpoch()
                || rec.getLength() != r.getExpectedLength()) {
            throw new CairnException(ErrorCode.STALE_EPOCH, "chunk " + r.getIndex() + " of inode " + r.getInode()
                    + " changed since its replicas were judged; it is not cut");
        }
        if (r.getLength() >= rec.getLength()) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a chunk is only cut shorter: " + r.getLength()
                    + " is not below its length " + rec.getLength());
        }
        long end = r.getIndex() * vol.getChunkSize() + r.getLength();
        Records.putChunk(t, r.getInode(), r.getIndex(), rec.toBuilder().setLength(r.getLength()).build());
        if (ino.getSize() <= end) {
            return Inodes.toAttr(r.getInode(), ino);
        }
        truncate(t, r.getInode(), ino.getSize(), end, vol.getChunkSize());
        InodeRecord after = Inodes.update(t, r.getInode(), b -> b.setSize(end).setCtimeNs(c.nowNs()));
        return Inodes.toAttr(r.getInode(), after);
    }

    /** Frees chunks wholly past the new end and shortens the chunk the end falls in. */
    static void truncate(Txn t, long inode, long oldSize, long newSize, long chunkSize) {
        if (newSize >= oldSize) {
            return;
        }
        InlineOps.truncate(t, inode, newSize);
        long keep = (newSize + chunkSize - 1) / chunkSize;  // chunks [0, keep) hold bytes below newSize
        Inodes.freeChunksFrom(t, inode, keep);
        if (keep > 0) {
            long last = keep - 1;
            ChunkRecord rec = Records.chunk(t, inode, last);
            long maxLength = newSize - last * chunkSize;
            if (rec != null && rec.getLength() > maxLength) {
                Records.putChunk(t, inode, last, rec.toBuilder().setLength(maxLength).build());
            }
        }
    }

    /**
     * The file's chunks from index {@code first}, or, while it keeps its bytes inline, those bytes
     * and no chunk (readers prefer them even while a spill is under way: until the spill's commit
     * they are what the file holds).
     */
    public static io.cairn.proto.ChunkList chunkList(ReadView v, int volumeId, long inode, long first, int count)
            throws CairnException {
        List<ChunkInfo> chunks = getChunks(v, volumeId, inode, first, count);
        io.cairn.proto.state.InlineRecord inline = Records.inline(v, inode);
        if (inline == null) {
            return io.cairn.proto.ChunkList.newBuilder().addAllChunks(chunks).build();
        }
        return io.cairn.proto.ChunkList.newBuilder().setInline(true).setInlineData(inline.getData())
                .setSpilling(!inline.getSpillOwner().isEmpty()).build();
    }

    public static List<ChunkInfo> getChunks(ReadView v, int volumeId, long inode, long first, int count)
            throws CairnException {
        Inodes.startedVolume(v, volumeId);
        regularFile(v, volumeId, inode);
        if (first < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "first chunk index " + Long.toUnsignedString(first)
                    + " is past any file");
        }
        int limit = count == 0 ? MAX_CHUNKS_PER_QUERY : (int) Math.min(Integer.toUnsignedLong(count), MAX_CHUNKS_PER_QUERY);
        List<ChunkInfo> out = new ArrayList<>();
        long end = first + limit;
        List<ChunkRecord> recs = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        v.scan(Table.CHUNKS, MetaSchema.u64(inode), MetaSchema.chunkKey(inode, first), (k, val) -> {
            long index = MetaSchema.readU64(k, 8);
            if (index >= end) {
                return false;
            }
            indexes.add(index);
            recs.add(Records.parse(val, ChunkRecord.parser()));
            return true;
        });
        for (int i = 0; i < recs.size(); i++) {
            out.add(info(v, indexes.get(i), recs.get(i)));
        }
        return out;
    }

    /** Sees one chunk record of a scan over every volume's chunks. */
    public interface ChunkVisitor {
        /** Returns false to stop the scan. */
        boolean visit(int volumeId, long inode, long index, ChunkRecord rec);
    }

    /** Every chunk record of every volume, in key order, with the volume its inode belongs to. */
    public static void forEachChunk(ReadView v, ChunkVisitor visitor) {
        java.util.Map<Long, Integer> inodeVolume = new java.util.HashMap<>();
        v.scan(Table.CHUNKS, new byte[0], null, (k, val) -> {
            long inode = MetaSchema.readU64(k, 0);
            int volumeId = inodeVolume.computeIfAbsent(inode, i -> {
                InodeRecord ino = Records.inode(v, i);
                return ino == null ? -1 : ino.getVolumeId();
            });
            return visitor.visit(volumeId, inode, MetaSchema.readU64(k, 8), Records.parse(val, ChunkRecord.parser()));
        });
    }

    /** The chunk record with each replica's node and address filled in. */
    public static ChunkInfo info(ReadView v, long index, ChunkRecord rec) {
        ChunkInfo.Builder b = ChunkInfo.newBuilder()
                .setIndex(index)
                .setChunkId(rec.getChunkId())
                .setEpoch(rec.getEpoch())
                .setLength(rec.getLength());
        for (long brickId : rec.getPlacementList()) {
            Replica.Builder rb = Replica.newBuilder().setBrickId(brickId);
            BrickRecord brick = Records.brick(v, brickId);
            if (brick != null) {
                rb.setNodeId(brick.getNodeId());
                NodeRecord node = Records.node(v, brick.getNodeId());
                if (node != null) {
                    rb.setAddress(node.getAddress());
                }
            }
            b.addPlacement(rb);
        }
        return b.build();
    }

    private static InodeRecord regularFile(ReadView v, int volumeId, long inode) throws CairnException {
        InodeRecord ino = Inodes.get(v, volumeId, inode);
        if (FileMode.isDir(ino.getMode())) {
            throw new CairnException(ErrorCode.IS_A_DIRECTORY, "inode " + inode + " is a directory, not a file");
        }
        if (!FileMode.isRegular(ino.getMode())) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "inode " + inode + " is not a regular file");
        }
        return ino;
    }

    /** A file size as the wire carries it (unsigned): within the limit, or FILE_TOO_BIG. */
    public static void checkSize(long size) throws CairnException {
        if (Long.compareUnsigned(size, MAX_FILE_SIZE) > 0) {
            throw new CairnException(ErrorCode.FILE_TOO_BIG,
                    "size " + Long.toUnsignedString(size) + " is over the file size limit " + MAX_FILE_SIZE);
        }
    }

    private static void checkIndex(VolumeRecord vol, long index) throws CairnException {
        if (index < 0 || index >= MAX_FILE_SIZE / vol.getChunkSize()) {
            throw new CairnException(ErrorCode.FILE_TOO_BIG,
                    "chunk index " + index + " is past the file size limit " + MAX_FILE_SIZE);
        }
    }
}
