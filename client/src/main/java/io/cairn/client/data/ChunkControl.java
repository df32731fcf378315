package io.cairn.client.data;

import io.cairn.common.Replies;
import io.cairn.client.MetaClient;
import io.cairn.common.Backoff;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.Credentials;
import io.cairn.proto.StorageReply;
import io.cairn.proto.TruncateRequest;
import java.time.Duration;

/**
 * fsync and truncate of one chunk through its primary, which forwards to the other replicas of
 * the epoch. A stale epoch or an unreachable primary refreshes the placement from meta and tries
 * again until the I/O timeout.
 */
public final class ChunkControl {
    private final MetaClient meta;
    private final StorageClient storage;
    private final Credentials cred;
    private final Duration ioTimeout;

    public ChunkControl(MetaClient meta, StorageClient storage, Credentials cred, Duration ioTimeout) {
        this.meta = meta;
        this.storage = storage;
        this.cred = cred;
        this.ioTimeout = ioTimeout;
    }

    /** Makes every replica of the chunk durable; returns the chunk as it stands afterwards. */
    public ChunkRef sync(ChunkRef ref) throws CairnException {
        return retry(ref, "sync", r -> storage.blocking(r.primary().getAddress()).sync(ChunkRequest.newBuilder()
                .setTarget(r.target()).setBrickId(r.primary().getBrickId()).build()));
    }

    /** Cuts every replica of the chunk to at most {@code length} bytes. */
    public ChunkRef truncate(ChunkRef ref, long length) throws CairnException {
        return retry(ref, "truncate", r -> storage.blocking(r.primary().getAddress()).truncate(TruncateRequest.newBuilder()
                .setTarget(r.target()).setBrickId(r.primary().getBrickId()).setLength(length).build()));
    }

    /** Makes {@code [offset, offset + length)} of the chunk read as zeros on every replica (fallocate). */
    public ChunkRef zero(ChunkRef ref, long offset, long length) throws CairnException {
        return retry(ref, "zeroing", r -> storage.blocking(r.primary().getAddress()).zero(io.cairn.proto.ZeroRequest.newBuilder()
                .setTarget(r.target()).setBrickId(r.primary().getBrickId()).setOffset(offset).setLength(length).build()));
    }

    /**
     * copy_file_range: {@code length} bytes of chunk {@code source} from {@code sourceOffset} (its
     * bytes past {@code sourceLength} read as zeros) written at {@code offset} of this chunk by
     * its primary, which reads them from the source's replicas.
     */
    public ChunkRef copyIn(ChunkRef ref, long offset, int length, ChunkRef source, long sourceOffset, long sourceLength)
            throws CairnException {
        return retry(ref, "copy", r -> storage.blocking(r.primary().getAddress()).copyIn(io.cairn.proto.CopyInRequest
                .newBuilder().setTarget(r.target()).setBrickId(r.primary().getBrickId()).setOffset(offset).setLength(length)
                .setExpectedLength(r.info().getLength()).setSource(source.target()).setSourceOffset(sourceOffset)
                .setSourceLength(sourceLength).build()));
    }

    /**
     * The ranges of the chunk holding data, as starts and ends in the chunk, from the first replica
     * that answers; every byte outside them reads as zeros. Null when no replica could tell: the
     * caller takes the whole chunk as data, which SEEK_DATA and SEEK_HOLE allow.
     */
    public long[][] dataRanges(ChunkRef ref) {
        for (io.cairn.proto.Replica r : ref.info().getPlacementList()) {
            try {
                io.cairn.proto.DataRangesReply reply = storage.blocking(r.getAddress()).dataRanges(ChunkRequest.newBuilder()
                        .setTarget(ref.target()).setBrickId(r.getBrickId()).build());
                if (reply.getCode() == io.cairn.proto.ErrorCode.OK && reply.getStartsCount() == reply.getEndsCount()) {
                    long[][] out = new long[reply.getStartsCount()][];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = new long[] {reply.getStarts(i), reply.getEnds(i)};
                    }
                    return out;
                }
            } catch (RuntimeException e) {
                // the next replica may answer
            }
        }
        return null;
    }

    private interface Call {
        StorageReply run(ChunkRef ref);
    }

    private ChunkRef retry(ChunkRef ref, String what, Call call) throws CairnException {
        Backoff backoff = Backoff.within(ioTimeout);
        String lastProblem;
        while (true) {
            try {
                StorageReply reply = call.run(ref);
                if (reply.getCode() == io.cairn.proto.ErrorCode.OK) {
                    return ref;
                }
                lastProblem = reply.getCode() + " " + reply.getMessage();
                if (reply.getCode() != io.cairn.proto.ErrorCode.STALE_EPOCH
                        && reply.getCode() != io.cairn.proto.ErrorCode.QUORUM_NOT_MET
                        && reply.getCode() != io.cairn.proto.ErrorCode.UNAVAILABLE
                        && reply.getCode() != io.cairn.proto.ErrorCode.TIMEOUT) {
                    throw Replies.error(reply, what + " of chunk " + ref.index() + " of inode " + ref.inode() + " failed");
                }
            } catch (RuntimeException e) {
                lastProblem = ref.primary().getAddress() + " unreachable: " + e.getMessage();
            }
            if (backoff.expired()) {
                throw new CairnException(ErrorCode.IO_ERROR, what + " of chunk " + ref.index() + " of inode " + ref.inode()
                        + " did not complete within " + ioTimeout.toSeconds() + " s; last problem: " + lastProblem);
            }
            backoff.pause("retrying " + what);
            ref = ref.refresh(meta, cred);
        }
    }
}
