package io.cairn.meta.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Every RocksDB column family of the meta service and the format of its keys. Values are the
 * protobuf messages of {@code cairn/state.proto}. Integers in keys are big-endian so that byte
 * order is numeric order; names are UTF-8 bytes, so readdir is in byte order of names.
 *
 * <pre>
 * column family   key                                         value
 * system          "applied"                                   AppliedIndex (term, index of the last applied log entry)
 *                 "counters"                                  Counters (next inode, chunk, volume, node, brick ids)
 * inodes          inode:u64                                   InodeRecord
 * dentries        parent:u64 name:utf8                        DentryRecord (child inode, type)
 * xattrs          inode:u64 name:utf8                         raw value bytes
 * chunks          inode:u64 index:u64                         ChunkRecord (chunk id, epoch, length, placement)
 * garbage         chunk:u64                                   GarbageRecord (replicas to delete on bricks)
 * volumes         volume:u32                                  VolumeRecord
 * bricks          brick:u64                                   BrickRecord
 * nodes           node:u64                                    NodeRecord
 * dedup           client:16 bytes call:u64                    DedupRecord (the reply to replay on a retry)
 * dedup_expiry    time_ns:u64 client:16 bytes call:u64        empty; oldest first, to bound the dedup table
 * locks           inode:u64                                   LockSet (every advisory lock on the inode)
 * clients         client:16 bytes                             ClientRecord (inode numbers reserved to the client)
 * leases          inode:u64                                   LeaseRecord (the client holding the directory's exclusive lease)
 * inline          inode:u64                                   InlineRecord (a small file's bytes, kept apart from
 *                                                             its InodeRecord so getattr and lookup never read them)
 * </pre>
 *
 * Inode ids are unique across volumes; every inode record names its volume.
 */
public final class MetaSchema {
    public enum Table {
        SYSTEM("system"),
        INODES("inodes"),
        DENTRIES("dentries"),
        XATTRS("xattrs"),
        CHUNKS("chunks"),
        GARBAGE("garbage"),
        VOLUMES("volumes"),
        BRICKS("bricks"),
        NODES("nodes"),
        DEDUP("dedup"),
        DEDUP_EXPIRY("dedup_expiry"),
        LOCKS("locks"),
        CLIENTS("clients"),
        LEASES("leases"),
        INLINE("inline");

        private final String cfName;

        Table(String cfName) {
            this.cfName = cfName;
        }

        public String cfName() {
            return cfName;
        }
    }

    public static final List<Table> TABLES = List.of(Table.values());

    public static final byte[] APPLIED_KEY = "applied".getBytes(StandardCharsets.UTF_8);
    public static final byte[] COUNTERS_KEY = "counters".getBytes(StandardCharsets.UTF_8);

    private MetaSchema() {
    }

    public static byte[] u64(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    public static byte[] u32(int id) {
        return ByteBuffer.allocate(4).putInt(id).array();
    }

    public static long readU64(byte[] key, int offset) {
        return ByteBuffer.wrap(key, offset, 8).getLong();
    }

    public static int readU32(byte[] key, int offset) {
        return ByteBuffer.wrap(key, offset, 4).getInt();
    }

    /** {@code id} followed by UTF-8 {@code name}: dentry and xattr keys. */
    public static byte[] idAndName(long id, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + n.length).putLong(id).put(n).array();
    }

    public static String nameOf(byte[] idAndNameKey) {
        return new String(idAndNameKey, 8, idAndNameKey.length - 8, StandardCharsets.UTF_8);
    }

    public static byte[] chunkKey(long inode, long index) {
        return ByteBuffer.allocate(16).putLong(inode).putLong(index).array();
    }

    public static byte[] dedupKey(byte[] clientId, long callId) {
        return ByteBuffer.allocate(clientId.length + 8).put(clientId).putLong(callId).array();
    }

    public static byte[] dedupExpiryKey(long timeNs, byte[] dedupKey) {
        return ByteBuffer.allocate(8 + dedupKey.length).putLong(timeNs).put(dedupKey).array();
    }

    public static byte[] dedupKeyOfExpiry(byte[] expiryKey) {
        return Arrays.copyOfRange(expiryKey, 8, expiryKey.length);
    }
}
