package io.cairn.storage.chunk;

import io.cairn.common.CairnException;
import io.cairn.common.ChecksumMismatchException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.common.brick.ReplicaHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Reading and writing a replica's files: blocks, their checksums, the header's suspect flag. */
final class ReplicaIo {
    private ReplicaIo() {
    }

    /** CRC32C of a whole block of zeros: a block of the gap a write past the end opens. */
    static final int ZERO_BLOCK_CRC = Crc32c.of(ByteBuffer.allocate(Crc32c.BLOCK_SIZE));

    /**
     * The checksum of block {@code b} after a write at {@code offset} to a replica {@code oldLength}
     * long: the client's own checksum where the block is exactly one piece of the written data,
     * the checksum of zeros for a whole block of the gap between the old end and the write (a
     * later piece of a stream that arrived first), else computed from the file.
     */
    static int blockCrc(FileChannel ch, long b, long oldLength, long newLength, long offset, int length, int[] crcs)
            throws IOException {
        long start = b * Crc32c.BLOCK_SIZE;
        long end = Math.min(start + Crc32c.BLOCK_SIZE, newLength);
        if (offset % Crc32c.BLOCK_SIZE == 0 && start >= offset) {
            long pieceEnd = Math.min(start + Crc32c.BLOCK_SIZE, offset + length);
            if (pieceEnd == end) {
                return crcs[(int) ((start - offset) / Crc32c.BLOCK_SIZE)];
            }
        }
        if (start >= oldLength && start + Crc32c.BLOCK_SIZE <= offset) {
            return ZERO_BLOCK_CRC;  // the file was cut to its old length first: the gap reads as zeros
        }
        return Crc32c.of(readBlock(ch, start, (int) (end - start)));
    }

    /** Verifies the client's checksum of each 64 KiB piece before anything is written. */
    static void checkPieces(long chunkId, long offset, ByteBuffer data, int[] crcs) throws CairnException {
        int pieces = (data.remaining() + Crc32c.BLOCK_SIZE - 1) / Crc32c.BLOCK_SIZE;
        if (crcs == null || crcs.length != pieces) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a write of " + data.remaining() + " bytes needs "
                    + pieces + " checksums, one per 64 KiB piece; got " + (crcs == null ? 0 : crcs.length));
        }
        int[] actual = Crc32c.blocks(data);
        for (int i = 0; i < pieces; i++) {
            if (actual[i] != crcs[i]) {
                throw new ChecksumMismatchException(chunkId, offset + (long) i * Crc32c.BLOCK_SIZE,
                        "the data sent does not match the checksum sent with it; nothing was written");
            }
        }
    }

    static void markSuspect(FileChannel metaCh, ReplicaHeader h) throws IOException {
        writeFully(metaCh, h.withFlags(h.flags() | ReplicaHeader.FLAG_SUSPECT).encode(), 0);
        metaCh.force(false);
    }

    /** Bytes of the replica up to its first block that fails its checksum (its length if none does). */
    static long intactPrefix(FileChannel dataCh, FileChannel metaCh, ReplicaHeader h) throws IOException {
        long last = (h.length() - 1) / Crc32c.BLOCK_SIZE;
        int[] stored = readCrcs(metaCh, 0, last);
        for (long b = 0; b <= last; b++) {
            long start = b * Crc32c.BLOCK_SIZE;
            int len = (int) (Math.min(start + Crc32c.BLOCK_SIZE, h.length()) - start);
            if (Crc32c.of(readBlock(dataCh, start, len)) != stored[(int) b]) {
                return start;
            }
        }
        return h.length();
    }

    static int[] readCrcs(FileChannel metaCh, long first, long last) throws IOException {
        int n = (int) (last - first + 1);
        ByteBuffer raw = readBlock(metaCh, ReplicaHeader.crcOffset((int) first), n * 4).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = raw.getInt(i * 4);
        }
        return out;
    }

    /** Reads {@code length} bytes at {@code position}; past the end of the file reads zeros. */
    static ByteBuffer readBlock(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                break;
            }
        }
        return buf.position(0).limit(length);
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }
}
