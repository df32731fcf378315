package io.cairn.client.data;

import io.cairn.client.MetaClient;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Reads a byte range of one chunk from any replica of its current epoch: the primary first,
 * then the others when one fails, is corrupt or lags. A replica at another epoch answers
 * STALE_EPOCH, which refreshes the placement from meta. Fails after the I/O timeout.
 */
public final class ChunkReader {
    private final MetaClient meta;
    private final StorageClient storage;
    private final Credentials cred;
    private final Duration ioTimeout;

    public ChunkReader(MetaClient meta, StorageClient storage, Credentials cred, Duration ioTimeout) {
        this.meta = meta;
        this.storage = storage;
        this.cred = cred;
        this.ioTimeout = ioTimeout;
    }

    /** The bytes read (fewer at the replicas' end) and the chunk as it stands afterwards. */
    public record Result(ChunkRef ref, ByteBuffer data) {
    }

    public Result read(ChunkRef ref, long offset, int length) throws CairnException {
        ByteBuffer out = ByteBuffer.allocate(length);
        long deadline = System.nanoTime() + ioTimeout.toNanos();
        while (out.hasRemaining()) {
            int n = Math.min(ChunkWriter.PIECE, out.remaining());
            Result piece = readPiece(ref, offset + out.position(), n, deadline);
            ref = piece.ref();
            out.put(piece.data());
            if (piece.data().capacity() < n) {
                break;  // the replicas end here
            }
        }
        return new Result(ref, out.flip());
    }

    private Result readPiece(ChunkRef ref, long offset, int length, long deadline) throws CairnException {
        String lastProblem = "";
        long backoffMs = 20;
        while (true) {
            boolean stale = false;
            for (Replica r : ref.info().getPlacementList()) {
                try {
                    ReadReply reply = storage.blocking(r.getAddress()).read(ReadRequest.newBuilder().setTarget(ref.target())
                            .setBrickId(r.getBrickId()).setOffset(offset).setLength(length).build());
                    if (reply.getCode() == io.cairn.proto.ErrorCode.OK) {
                        return new Result(ref, reply.getData().asReadOnlyByteBuffer());
                    }
                    lastProblem = r.getAddress() + ": " + reply.getCode() + " " + reply.getMessage();
                    stale |= reply.getCode() == io.cairn.proto.ErrorCode.STALE_EPOCH;
                } catch (RuntimeException e) {
                    lastProblem = r.getAddress() + " unreachable: " + e.getMessage();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new CairnException(ErrorCode.IO_ERROR, "no replica of chunk " + ref.index() + " of inode "
                        + ref.inode() + " could be read within " + ioTimeout.toSeconds() + " s; last problem: " + lastProblem);
            }
            ref = ref.refresh(meta, cred);
            if (!stale) {
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CairnException(ErrorCode.TIMEOUT, "interrupted while reading", e);
                }
                backoffMs = Math.min(backoffMs * 2, 1000);
            }
        }
    }
}
