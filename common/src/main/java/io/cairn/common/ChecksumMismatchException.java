package io.cairn.common;

/** Data did not match its CRC32C: names the chunk and the offset of the bad block. */
public final class ChecksumMismatchException extends CairnException {
    private final long chunkId;
    private final long offset;

    public ChecksumMismatchException(long chunkId, long offset, String what) {
        super(ErrorCode.CHECKSUM_MISMATCH, "checksum mismatch in chunk " + Long.toHexString(chunkId)
                + " at offset " + offset + ": " + what);
        this.chunkId = chunkId;
        this.offset = offset;
    }

    public long chunkId() {
        return chunkId;
    }

    public long offset() {
        return offset;
    }
}
