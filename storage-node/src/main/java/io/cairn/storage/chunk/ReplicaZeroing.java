package io.cairn.storage.chunk;

import io.cairn.common.Crc32c;
import io.cairn.common.SparseFiles;
import io.cairn.common.brick.ReplicaHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Zeroing a range of a replica (fallocate's PUNCH_HOLE and ZERO_RANGE): the data file's blocks
 * freed where its file system can punch holes (zeros written where it cannot), the block
 * checksums rewritten, both made durable. The store writes the range down first; after a crash
 * {@link #redo} finishes what was interrupted, so the check after a crash does not take a half
 * zeroed block for lost bytes and cut the replica there.
 */
final class ReplicaZeroing {
    private ReplicaZeroing() {
    }

    /** Zeroes [offset, end) of a replica (end within its length) and its checksums, durably. */
    static void zero(Path dataFile, FileChannel data, FileChannel meta, ReplicaHeader h, long offset, long end)
            throws IOException {
        if (data.size() > h.length()) {
            data.truncate(h.length());  // as a write does: nothing past the length
        }
        if (!SparseFiles.punchHole(dataFile, offset, end - offset)) {
            writeZeros(data, offset, end - offset);
        }
        ReplicaIo.writeFully(meta, zeroedCrcs(data, h.length(), offset, end),
                ReplicaHeader.crcOffset((int) (offset / Crc32c.BLOCK_SIZE)));
        data.force(false);
        meta.force(false);
    }

    /** After a crash: the zeroing written down in {@code intent}, if any, is done again (it is idempotent). */
    static void redo(Path intent, Path dataFile, FileChannel data, FileChannel meta, ReplicaHeader h) throws IOException {
        if (!Files.exists(intent)) {
            return;
        }
        String[] range = Files.readString(intent).trim().split(" ");
        long offset = Long.parseLong(range[0]);
        long end = Math.min(Long.parseLong(range[1]), h.length());
        if (offset >= 0 && offset < end) {
            zero(dataFile, data, meta, h, offset, end);
        }
        Files.delete(intent);
    }

    /**
     * The checksums, from the block of {@code from}, of the blocks of a replica {@code length}
     * long after {@code [from, to)} was zeroed: the checksum of zeros for a block inside the range,
     * computed from the file for a block it covers in part.
     */
    private static ByteBuffer zeroedCrcs(FileChannel ch, long length, long from, long to) throws IOException {
        long first = from / Crc32c.BLOCK_SIZE;
        long last = (to - 1) / Crc32c.BLOCK_SIZE;
        ByteBuffer sums = ByteBuffer.allocate((int) (last - first + 1) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long b = first; b <= last; b++) {
            long start = b * Crc32c.BLOCK_SIZE;
            long end = Math.min(start + Crc32c.BLOCK_SIZE, length);
            if (from <= start && to >= end && end - start == Crc32c.BLOCK_SIZE) {
                sums.putInt(ReplicaIo.ZERO_BLOCK_CRC);
            } else {
                sums.putInt(Crc32c.of(ReplicaIo.readBlock(ch, start, (int) (end - start))));
            }
        }
        return sums.flip();
    }

    /** Writes {@code length} zeros at {@code position} (where holes cannot be punched). */
    private static void writeZeros(FileChannel ch, long position, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(zeros.capacity(), length - done);
            ReplicaIo.writeFully(ch, zeros.clear().limit(n), position + done);
            done += n;
        }
    }
}
