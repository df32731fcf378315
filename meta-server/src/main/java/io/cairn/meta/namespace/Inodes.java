package io.cairn.meta.namespace;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.VolumeState;
import io.cairn.proto.state.ChunkRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.GarbageRecord;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.VolumeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Lookups and updates shared by the namespace handlers; each throws the POSIX error a kernel would. */
public final class Inodes {
    /** Hard links a file may have. */
    public static final int LINK_MAX = 65000;

    private Inodes() {
    }

    /** The volume, which must exist and be started. */
    public static VolumeRecord startedVolume(ReadView v, int volumeId) throws CairnException {
        VolumeRecord vol = Records.volume(v, volumeId);
        if (vol == null) {
            throw new CairnException(ErrorCode.NOT_FOUND, "volume id " + volumeId + " does not exist");
        }
        if (vol.getState() != VolumeState.VOLUME_STARTED) {
            throw new CairnException(ErrorCode.VOLUME_NOT_STARTED,
                    "volume " + vol.getName() + " is not started; start it with 'cairn volume start " + vol.getName() + "'");
        }
        return vol;
    }

    /** The inode, which must exist in the volume. */
    public static InodeRecord get(ReadView v, int volumeId, long inode) throws CairnException {
        InodeRecord r = Records.inode(v, inode);
        if (r == null || r.getVolumeId() != volumeId) {
            throw new CairnException(ErrorCode.NOT_FOUND, "inode " + inode + " does not exist in this volume");
        }
        return r;
    }

    /** The inode, which must be a directory. */
    public static InodeRecord dir(ReadView v, int volumeId, long inode) throws CairnException {
        InodeRecord r = get(v, volumeId, inode);
        if (!FileMode.isDir(r.getMode())) {
            throw new CairnException(ErrorCode.NOT_A_DIRECTORY, "inode " + inode + " is not a directory");
        }
        return r;
    }

    /** Reads the inode as the transaction sees it now, changes it and writes it back. */
    public static InodeRecord update(Txn t, long inode, UnaryOperator<InodeRecord.Builder> change) {
        InodeRecord current = Records.inode(t, inode);
        if (current == null) {
            throw new IllegalStateException("inode " + inode + " vanished inside a transaction");
        }
        InodeRecord next = change.apply(current.toBuilder()).build();
        Records.putInode(t, inode, next);
        return next;
    }

    /** A directory's content changed: mtime and ctime are now. */
    public static void touchDir(Txn t, long dir, long nowNs) {
        update(t, dir, b -> b.setMtimeNs(nowNs).setCtimeNs(nowNs));
    }

    public static long allocateInode(Txn t) {
        Counters c = Records.counters(t);
        Records.putCounters(t, c.toBuilder().setNextInode(c.getNextInode() + 1).build());
        return c.getNextInode();
    }

    public static void addVolumeInodes(Txn t, int volumeId, long delta) {
        VolumeRecord vol = Records.volume(t, volumeId);
        Records.putVolume(t, volumeId, vol.toBuilder().setInodes(vol.getInodes() + delta).build());
    }

    /** Deletes an inode with nlink 0: its record, inline bytes, xattrs, locks, and chunks (their replicas become garbage). */
    public static void destroy(Txn t, long inode, int volumeId) {
        t.delete(Table.INODES, MetaSchema.u64(inode));
        t.delete(Table.LOCKS, MetaSchema.u64(inode));
        DirLeases.forget(t, inode);
        Records.deleteInline(t, inode);
        deleteAll(t, Table.XATTRS, MetaSchema.u64(inode));
        freeChunksFrom(t, inode, 0);
        addVolumeInodes(t, volumeId, -1);
    }

    /** Moves every chunk of the inode with index >= {@code firstIndex} to the garbage table. */
    public static void freeChunksFrom(Txn t, long inode, long firstIndex) {
        List<byte[]> keys = new ArrayList<>();
        List<ChunkRecord> records = new ArrayList<>();
        t.scan(Table.CHUNKS, MetaSchema.u64(inode), MetaSchema.chunkKey(inode, firstIndex), (k, val) -> {
            keys.add(k);
            records.add(Records.parse(val, ChunkRecord.parser()));
            return true;
        });
        for (int i = 0; i < keys.size(); i++) {
            ChunkRecord c = records.get(i);
            t.delete(Table.CHUNKS, keys.get(i));
            t.put(Table.GARBAGE, MetaSchema.u64(c.getChunkId()), GarbageRecord.newBuilder()
                    .setChunkId(c.getChunkId()).addAllPlacement(c.getPlacementList()).build().toByteArray());
        }
    }

    static void deleteAll(Txn t, Table table, byte[] prefix) {
        List<byte[]> keys = new ArrayList<>();
        t.scan(table, prefix, null, (k, val) -> {
            keys.add(k);
            return true;
        });
        for (byte[] k : keys) {
            t.delete(table, k);
        }
    }

    public static InodeAttr toAttr(long inode, InodeRecord r) {
        return InodeAttr.newBuilder()
                .setInode(inode)
                .setMode(r.getMode())
                .setUid(r.getUid())
                .setGid(r.getGid())
                .setSize(r.getSize())
                .setNlink(r.getNlink())
                .setAtimeNs(r.getAtimeNs())
                .setMtimeNs(r.getMtimeNs())
                .setCtimeNs(r.getCtimeNs())
                .setRdev(r.getRdev())
                .setBlocks((r.getSize() + 511) / 512)
                .build();
    }
}
