package io.cairn.client.fs;

import io.cairn.client.data.ChunkControl;
import io.cairn.client.data.ChunkRef;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;

/**
 * Holes in open files: fallocate's PUNCH_HOLE and ZERO_RANGE sent to the chunks the range covers
 * (the replicas free the blocks), and lseek's SEEK_DATA and SEEK_HOLE answered from the chunks
 * that exist and the ranges their replicas hold. A chunk never written is a hole of its own.
 * Every method expects the caller to hold the file's lock and to have sent the file's buffered
 * writes to the replicas first.
 */
final class SparseIo {
    private final ChunkFetch fetcher;
    private final long chunkSize;
    private final java.util.function.Function<Credentials, ChunkControl> control;

    SparseIo(ChunkFetch fetcher, long chunkSize, java.util.function.Function<Credentials, ChunkControl> control) {
        this.fetcher = fetcher;
        this.chunkSize = chunkSize;
        this.control = control;
    }

    /** Whether the file keeps its bytes inline in meta (asked of meta if this client does not know). */
    boolean inline(OpenInode f, Credentials cred) throws CairnException {
        if (f.layout.unknown()) {
            fetcher.chunk(f, cred, 0);
        }
        return f.layout.inline();
    }

    /** Makes {@code [offset, end)} of a file in chunks read as zeros; chunks not written are holes already. */
    void zero(OpenInode f, Credentials cred, long offset, long end) throws CairnException {
        f.dropReadAhead();
        ChunkControl c = control.apply(cred);
        for (long index = offset / chunkSize; index * chunkSize < end; index++) {
            ChunkRef ref = fetcher.chunk(f, cred, index);
            if (ref == null) {
                continue;
            }
            long from = Math.max(offset, index * chunkSize) - index * chunkSize;
            long to = Math.min(end, (index + 1) * chunkSize) - index * chunkSize;
            f.chunks.put(index, c.zero(ref, from, to - from));
        }
    }

    /**
     * lseek's SEEK_DATA ({@code data}) or SEEK_HOLE from {@code offset} in a file {@code size} long:
     * the first byte at or after it that is data (or a hole; the end of the file is one).
     * NO_DATA_AFTER (ENXIO) at or past the end, or when no data follows.
     */
    long seek(OpenInode f, Credentials cred, long offset, boolean data, long size) throws CairnException {
        if (offset < 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "lseek to negative offset " + offset);
        }
        if (offset >= size) {
            throw new CairnException(ErrorCode.NO_DATA_AFTER, "offset " + offset + " is at or past the end of the file ("
                    + size + " bytes)");
        }
        if (inline(f, cred)) {
            return data ? offset : size;  // inline bytes are all data
        }
        ChunkControl c = control.apply(cred);
        for (long index = offset / chunkSize; index * chunkSize < size; index++) {
            long start = index * chunkSize;
            long inChunk = Math.max(0, offset - start);
            long chunkEnd = Math.min(chunkSize, size - start);
            long found = data ? firstData(ranges(f, cred, c, index), inChunk, chunkEnd)
                    : firstHole(ranges(f, cred, c, index), inChunk, chunkEnd);
            if (found >= 0) {
                return start + found;
            }
        }
        if (data) {
            throw new CairnException(ErrorCode.NO_DATA_AFTER, "no data after offset " + offset + " (the rest is a hole)");
        }
        return size;
    }

    /** The chunk's data ranges (starts and ends in it); none for a chunk not written, all of it when no replica can tell. */
    private long[][] ranges(OpenInode f, Credentials cred, ChunkControl c, long index) throws CairnException {
        ChunkRef ref = fetcher.chunk(f, cred, index);
        if (ref == null) {
            return new long[0][];
        }
        long[][] ranges = c.dataRanges(ref);
        return ranges != null ? ranges : new long[][] {{0, chunkSize}};
    }

    /** The first data at or after {@code from} below {@code end}, or -1. */
    static long firstData(long[][] ranges, long from, long end) {
        for (long[] r : ranges) {
            if (r[1] > from && r[0] < end) {
                return Math.max(r[0], from);
            }
        }
        return -1;
    }

    /** The first hole at or after {@code from} below {@code end}, or -1 when data runs to {@code end}. */
    static long firstHole(long[][] ranges, long from, long end) {
        long at = from;
        for (long[] r : ranges) {
            if (r[0] > at) {
                break;
            }
            at = Math.max(at, r[1]);
        }
        return at < end ? at : -1;
    }
}
