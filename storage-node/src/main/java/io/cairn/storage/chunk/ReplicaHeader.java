package io.cairn.storage.chunk;

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
 * 40     4     flags: bit 0 = suspect (a checksum failed; repair before serving)
 * 44     4     CRC32C of bytes 0..43
 * 48     16    reserved (zero)
 * 64     4*N   CRC32C of each 64 KiB block of the data, N = chunk size / 64 KiB
 * </pre>
 *
 * The header lies inside the first 512-byte sector, which disks write whole; its own CRC catches
 * the rest. Block checksums describe the bytes that should be in the data file: a crash between
 * writing data and checksums leaves a mismatch that reads and the scrubber detect.
 */
public record ReplicaHeader(long chunkId, long epoch, long length, long chunkSize, int flags) {
    /** "CRNR" as a big-endian int; stored, like every field, little-endian. */
    public static final int MAGIC = 0x434e524e;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 64;
    public static final int FLAG_SUSPECT = 1;

    public int blockCount() {
        return (int) (chunkSize / Crc32c.BLOCK_SIZE);
    }

    public boolean suspect() {
        return (flags & FLAG_SUSPECT) != 0;
    }

    public ReplicaHeader withEpoch(long e) {
        return new ReplicaHeader(chunkId, e, length, chunkSize, flags);
    }

    public ReplicaHeader withLength(long l) {
        return new ReplicaHeader(chunkId, epoch, l, chunkSize, flags);
    }

    public ReplicaHeader withFlags(int f) {
        return new ReplicaHeader(chunkId, epoch, length, chunkSize, f);
    }

    /** Offset in the meta file of the checksum of block {@code index}. */
    public static long crcOffset(int index) {
        return HEADER_BYTES + 4L * index;
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putLong(chunkId).putLong(epoch).putLong(length).putLong(chunkSize).putInt(flags);
        b.putInt(Crc32c.of(b.array(), 0, 44));
        b.position(0);
        return b;
    }

    /** Decodes a header, or returns null if it is torn, corrupt or not a replica header. */
    public static ReplicaHeader decode(ByteBuffer raw) {
        if (raw.remaining() < HEADER_BYTES) {
            return null;
        }
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] first = new byte[44];
        b.duplicate().get(first);
        if (b.getInt() != MAGIC || b.getInt() != VERSION) {
            return null;
        }
        ReplicaHeader h = new ReplicaHeader(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt());
        if (b.getInt() != Crc32c.of(first, 0, 44)) {
            return null;
        }
        if (h.chunkSize() <= 0 || h.chunkSize() % Crc32c.BLOCK_SIZE != 0 || h.length() < 0 || h.length() > h.chunkSize()) {
            return null;
        }
        return h;
    }
}
