package io.cairn.common.brick;

import io.cairn.common.Crc32c;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code .meta} file of a replica: a fixed binary layout so that a write updates only the
 * checksums of the blocks it touched and the header, in place.
 *
 * <pre>
 * offset size  field
 * 0      4     magic 0x434e524e
 * 4      4     format version (1)
 * 8      8     chunk id
 * 16     8     epoch: the placement generation this replica is current for
 * 24     8     length: bytes of the chunk this replica holds (a prefix of the chunk)
 * 32     8     chunk size: the largest length
 * 40     4     flags: bit 0 = suspect (a checksum failed; repair before serving); bit 1 = trimmed
 *              (cut to its intact prefix after a crash; cleared by the next write)
 * 44     4     CRC32C of the 64 header bytes with this field zero
 * 48     8     inode of the file the chunk belongs to (0: unknown)
 * 56     8     index of the chunk in that file
 * 64     4*N   CRC32C of each 64 KiB block of the data, N = chunk size / 64 KiB
 * </pre>
 *
 * The header lies inside the first 512-byte sector, which disks write whole; its own CRC catches
 * the rest. Inode and index let the meta service tell, from a replica report, whether the chunk
 * still exists (chunk ids are never reused). Block checksums describe the bytes that should be in the data file: a crash between
 * writing data and checksums leaves a mismatch that reads and the scrubber detect.
 */
public record ReplicaHeader(long chunkId, long epoch, long length, long chunkSize, int flags, long inode, long index) {
    /** "CRNR" as a big-endian int; stored, like every field, little-endian. */
    public static final int MAGIC = 0x434e524e;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 64;
    public static final int FLAG_SUSPECT = 1;
    public static final int FLAG_TRIMMED = 2;

    public int blockCount() {
        return (int) (chunkSize / Crc32c.BLOCK_SIZE);
    }

    public boolean suspect() {
        return (flags & FLAG_SUSPECT) != 0;
    }

    public boolean trimmed() {
        return (flags & FLAG_TRIMMED) != 0;
    }

    public ReplicaHeader withEpoch(long e) {
        return new ReplicaHeader(chunkId, e, length, chunkSize, flags, inode, index);
    }

    public ReplicaHeader withLength(long l) {
        return new ReplicaHeader(chunkId, epoch, l, chunkSize, flags, inode, index);
    }

    public ReplicaHeader withFlags(int f) {
        return new ReplicaHeader(chunkId, epoch, length, chunkSize, f, inode, index);
    }

    /** Offset in the meta file of the checksum of block {@code index}. */
    public static long crcOffset(int index) {
        return HEADER_BYTES + 4L * index;
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putLong(chunkId).putLong(epoch).putLong(length).putLong(chunkSize).putInt(flags);
        b.putInt(0).putLong(inode).putLong(index);
        b.putInt(44, Crc32c.of(b.array(), 0, HEADER_BYTES));
        b.position(0);
        return b;
    }

    /** Decodes a header, or returns null if it is torn, corrupt or not a replica header. */
    public static ReplicaHeader decode(ByteBuffer raw) {
        if (raw.remaining() < HEADER_BYTES) {
            return null;
        }
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] copy = new byte[HEADER_BYTES];
        b.duplicate().get(copy);
        if (b.getInt() != MAGIC || b.getInt() != VERSION) {
            return null;
        }
        long chunkId = b.getLong();
        long epoch = b.getLong();
        long length = b.getLong();
        long chunkSize = b.getLong();
        int flags = b.getInt();
        int crc = b.getInt();
        ReplicaHeader h = new ReplicaHeader(chunkId, epoch, length, chunkSize, flags, b.getLong(), b.getLong());
        java.util.Arrays.fill(copy, 44, 48, (byte) 0);
        if (crc != Crc32c.of(copy, 0, HEADER_BYTES)) {
            return null;
        }
        if (h.chunkSize() <= 0 || h.chunkSize() % Crc32c.BLOCK_SIZE != 0 || h.length() < 0 || h.length() > h.chunkSize()) {
            return null;
        }
        return h;
    }
}
