package io.cairn.meta.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.proto.state.AppliedIndex;
import io.cairn.proto.state.BrickRecord;
import io.cairn.proto.state.ChunkRecord;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.DentryRecord;
import io.cairn.proto.state.InodeRecord;
import io.cairn.proto.state.NodeRecord;
import io.cairn.proto.state.VolumeRecord;

/** Typed reads and writes of the records in {@link MetaSchema}; null means absent. */
public final class Records {
    private Records() {
    }

    public static InodeRecord inode(ReadView v, long inode) {
        return parse(v.get(Table.INODES, MetaSchema.u64(inode)), InodeRecord.parser());
    }

    public static void putInode(Txn t, long inode, InodeRecord r) {
        t.put(Table.INODES, MetaSchema.u64(inode), r.toByteArray());
    }

    public static io.cairn.proto.state.ClientRecord client(ReadView v, com.google.protobuf.ByteString clientId) {
        return parse(v.get(Table.CLIENTS, clientId.toByteArray()), io.cairn.proto.state.ClientRecord.parser());
    }

    /** Writes the client's record, or deletes it when it holds nothing. */
    public static void putClient(Txn t, com.google.protobuf.ByteString clientId, io.cairn.proto.state.ClientRecord r) {
        if (r.getInodeRangesCount() == 0) {
            t.delete(Table.CLIENTS, clientId.toByteArray());
        } else {
            t.put(Table.CLIENTS, clientId.toByteArray(), r.toByteArray());
        }
    }

    public static DentryRecord dentry(ReadView v, long parent, String name) {
        return parse(v.get(Table.DENTRIES, MetaSchema.idAndName(parent, name)), DentryRecord.parser());
    }

    public static void putDentry(Txn t, long parent, String name, DentryRecord r) {
        t.put(Table.DENTRIES, MetaSchema.idAndName(parent, name), r.toByteArray());
    }

    public static void deleteDentry(Txn t, long parent, String name) {
        t.delete(Table.DENTRIES, MetaSchema.idAndName(parent, name));
    }

    /** True if the directory has at least one entry. */
    public static boolean hasEntries(ReadView v, long dir) {
        boolean[] found = {false};
        v.scan(Table.DENTRIES, MetaSchema.u64(dir), null, (k, val) -> {
            found[0] = true;
            return false;
        });
        return found[0];
    }

    public static ChunkRecord chunk(ReadView v, long inode, long index) {
        return parse(v.get(Table.CHUNKS, MetaSchema.chunkKey(inode, index)), ChunkRecord.parser());
    }

    public static void putChunk(Txn t, long inode, long index, ChunkRecord r) {
        t.put(Table.CHUNKS, MetaSchema.chunkKey(inode, index), r.toByteArray());
    }

    /** The inode's inline bytes, or null when it keeps none. */
    public static io.cairn.proto.state.InlineRecord inline(ReadView v, long inode) {
        return parse(v.get(Table.INLINE, MetaSchema.u64(inode)), io.cairn.proto.state.InlineRecord.parser());
    }

    public static void putInline(Txn t, long inode, io.cairn.proto.state.InlineRecord r) {
        t.put(Table.INLINE, MetaSchema.u64(inode), r.toByteArray());
    }

    public static void deleteInline(Txn t, long inode) {
        t.delete(Table.INLINE, MetaSchema.u64(inode));
    }

    public static VolumeRecord volume(ReadView v, int volumeId) {
        return parse(v.get(Table.VOLUMES, MetaSchema.u32(volumeId)), VolumeRecord.parser());
    }

    public static void putVolume(Txn t, int volumeId, VolumeRecord r) {
        t.put(Table.VOLUMES, MetaSchema.u32(volumeId), r.toByteArray());
    }

    public static BrickRecord brick(ReadView v, long brickId) {
        return parse(v.get(Table.BRICKS, MetaSchema.u64(brickId)), BrickRecord.parser());
    }

    public static NodeRecord node(ReadView v, long nodeId) {
        return parse(v.get(Table.NODES, MetaSchema.u64(nodeId)), NodeRecord.parser());
    }

    public static Counters counters(ReadView v) {
        Counters c = parse(v.get(Table.SYSTEM, MetaSchema.COUNTERS_KEY), Counters.parser());
        return c != null ? c : Counters.newBuilder()
                .setNextInode(1).setNextChunk(1).setNextVolume(1).setNextNode(1).setNextBrick(1).build();
    }

    public static void putCounters(Txn t, Counters c) {
        t.put(Table.SYSTEM, MetaSchema.COUNTERS_KEY, c.toByteArray());
    }

    public static AppliedIndex applied(ReadView v) {
        AppliedIndex a = parse(v.get(Table.SYSTEM, MetaSchema.APPLIED_KEY), AppliedIndex.parser());
        return a != null ? a : AppliedIndex.getDefaultInstance();
    }

    public static void putApplied(Txn t, AppliedIndex a) {
        t.put(Table.SYSTEM, MetaSchema.APPLIED_KEY, a.toByteArray());
    }

    public static <T extends MessageLite> T parse(byte[] bytes, Parser<T> parser) {
        if (bytes == null) {
            return null;
        }
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt metadata record: " + e.getMessage(), e);
        }
    }
}
