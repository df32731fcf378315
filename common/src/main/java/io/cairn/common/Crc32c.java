package io.cairn.common;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C per block of data, as computed by clients and checked by every replica. The JDK's
 * CRC32C uses the CPU's crc32 instruction, so no library is needed for speed.
 */
public final class Crc32c {
    /** Data is checksummed in blocks of this many bytes; the last block of a chunk may be shorter. */
    public static final int BLOCK_SIZE = 64 * 1024;

    private Crc32c() {
    }

    public static int of(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    public static int of(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    /** One checksum per {@link #BLOCK_SIZE} block of {@code data}, the last one over the remainder. */
    public static int[] blocks(ByteBuffer data) {
        int length = data.remaining();
        int[] sums = new int[(length + BLOCK_SIZE - 1) / BLOCK_SIZE];
        for (int i = 0; i < sums.length; i++) {
            ByteBuffer block = data.duplicate();
            block.position(data.position() + i * BLOCK_SIZE);
            block.limit(Math.min(block.position() + BLOCK_SIZE, data.limit()));
            sums[i] = of(block);
        }
        return sums;
    }
}
