package io.cairn.client.data;

import io.cairn.client.MetaClient;
import io.cairn.common.Backoff;
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
 * STALE_EPOCH, which refreshes the placement from meta. Fails at once with IO_ERROR when every
 * replica answers that it does not hold the range (short, corrupt or missing: bytes a crash took),
 * else after the I/O timeout (replicas unreachable: they may come back).
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
        Backoff backoff = Backoff.within(ioTimeout);  // one deadline for the whole read
        while (out.hasRemaining()) {
            int n = Math.min(ChunkWriter.PIECE, out.remaining());
            Result piece = readPiece(ref, offset + out.position(), n, backoff);
            ref = piece.ref();
            out.put(piece.data());
            if (piece.data().capacity() < n) {
                break;  // the replicas end here
            }
        }
        return new Result(ref, out.flip());
    }

    private Result readPiece(ChunkRef ref, long offset, int length, Backoff backoff) throws CairnException {
        String lastProblem = "";
        while (true) {
            boolean stale = false;
            int lacking = 0;  // replicas that answered they do not hold the range (short, corrupt, none)
            ByteBuffer longest = null;
            for (Replica r : storage.readOrder(ref.info().getPlacementList())) {
                try {
                    ReadReply reply = storage.read(r, ReadRequest.newBuilder().setTarget(ref.target())
                            .setOffset(offset).setLength(length).build());
                    io.cairn.proto.ErrorCode code = reply.getCode();
                    if (code == io.cairn.proto.ErrorCode.OK) {
                        ByteBuffer data = reply.getData().asReadOnlyByteBuffer();
                        if (data.remaining() >= length) {
                            return new Result(ref, data);
                        }
                        // The chunk's length says these bytes exist, the replica ends before them.
                        lacking++;
                        longest = longest == null || data.remaining() > longest.remaining() ? data : longest;
                        lastProblem = r.getAddress() + ": holds " + (offset + data.remaining()) + " bytes of the chunk";
                        continue;
                    }
                    lastProblem = r.getAddress() + ": " + code + " " + reply.getMessage();
                    stale |= code == io.cairn.proto.ErrorCode.STALE_EPOCH;
                    if (LACKING.contains(code)) {
                        lacking++;
                    }
                } catch (RuntimeException e) {
                    lastProblem = r.getAddress() + " unreachable: " + e.getMessage();
                }
            }
            ChunkRef was = ref;
            ref = ref.refresh(meta, cred);
            if (lacking == was.info().getPlacementCount() && ref.info().getEpoch() == was.info().getEpoch()) {
                // Every replica answered, none holds the bytes, and no placement change is coming to
                // help: waiting cannot bring them back (a crash lost them, or every replica is corrupt).
                if (longest != null && offset + longest.remaining() >= ref.info().getLength()) {
                    return new Result(ref, longest);  // the chunk was cut meanwhile: these are all its bytes
                }
                askForCheck(ref);
                throw new CairnException(ErrorCode.IO_ERROR, "no replica of chunk " + ref.index() + " of inode "
                        + ref.inode() + " holds bytes " + offset + ".." + (offset + length) + " of it (last: " + lastProblem
                        + "); the data is lost unless a replica comes back: see 'cairn volume heal VOLUME info'");
            }
            if (backoff.expired()) {
                throw new CairnException(ErrorCode.IO_ERROR, "no replica of chunk " + ref.index() + " of inode "
                        + ref.inode() + " could be read within " + ioTimeout.toSeconds() + " s; last problem: " + lastProblem);
            }
            if (!stale) {
                backoff.pause("reading");
            }
        }
    }

    /** Tells the meta leader, which asks the replicas itself and repairs or cuts the chunk; best effort. */
    private void askForCheck(ChunkRef ref) {
        try {
            meta.query(cred, io.cairn.proto.MetaQuery.newBuilder().setCheckChunk(io.cairn.proto.CheckChunkRequest.newBuilder()
                    .setVolumeId(ref.volumeId()).setInode(ref.inode()).setIndex(ref.index())
                    .setChunkId(ref.info().getChunkId())).build());
        } catch (CairnException e) {
            // The read fails with EIO anyway; the repair scan and replica reports find the chunk later.
        }
    }

    /** Answers of a replica that does not hold the range and will not by waiting. */
    private static final java.util.Set<io.cairn.proto.ErrorCode> LACKING = java.util.EnumSet.of(
            io.cairn.proto.ErrorCode.IO_ERROR, io.cairn.proto.ErrorCode.NOT_FOUND, io.cairn.proto.ErrorCode.CHECKSUM_MISMATCH);
}
