package io.cairn.client.data;

import io.cairn.common.Replies;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.cairn.client.MetaClient;
import io.cairn.common.Backoff;
import io.cairn.common.CairnException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.WriteExtent;
import io.cairn.proto.WriteRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a byte range of one chunk through its primary, in pieces of at most 1 MiB with a
 * window of pieces in flight. A write returns only when every replica of the chunk's epoch has
 * every piece. When the primary cannot be reached the writer asks meta for the next epoch
 * without it and re-sends, in order, every piece not yet acknowledged; below min-size it waits
 * and retries until the I/O timeout, then fails with the chunk's last problem. A full primary
 * is replaced the same way; when no replica with space is left the write fails with NO_SPACE
 * (ENOSPC) at once.
 */
public final class ChunkWriter {
    public static final int PIECE = 1 << 20;

    private final MetaClient meta;
    private final StorageClient storage;
    private final Credentials cred;
    private final Duration ioTimeout;
    private final int window;

    public ChunkWriter(MetaClient meta, StorageClient storage, Credentials cred, Duration ioTimeout, int window) {
        this.meta = meta;
        this.storage = storage;
        this.cred = cred;
        this.ioTimeout = ioTimeout;
        this.window = window;
    }

    /** One range of a call: where in the chunk, its bytes, their checksums. */
    private record Extent(long offset, ByteString data, List<Integer> crcs) {
    }

    /** One call: ranges of the chunk (most often one), at most 1 MiB in all. */
    private record Piece(List<Extent> extents, int bytes) {
    }

    private enum Outcome { DONE, PRIMARY_FAILED, PRIMARY_FULL, STALE, BELOW_MIN_SIZE, RETRY }

    /** One range of a chunk to write: where in the chunk, and its bytes. */
    public record Segment(long offset, ByteBuffer data) {
    }

    /**
     * Writes {@code data} at {@code offset} of the chunk; returns the chunk as it stands afterwards.
     * The bytes are sent as they are, not copied: they must not change until this returns.
     */
    public ChunkRef write(ChunkRef ref, long offset, ByteBuffer data, boolean sync) throws CairnException {
        return write(ref, List.of(new Segment(offset, data)), sync);
    }

    /** Pieces in flight at once when they are small (random writes): the window counts mebibytes then. */
    private static final int SMALL_PIECES_IN_FLIGHT = 64;

    /**
     * Writes several ranges of one chunk (in the order given, which is the order the replicas
     * apply them in): small ranges packed into calls of up to 1 MiB, the calls sharing one window
     * of {@code window} MiB (at most {@value #SMALL_PIECES_IN_FLIGHT} calls) in flight, so many
     * small writes cost a few round trips, not one each. {@code sync}: the last call is made
     * durable on every replica with everything before it.
     */
    public ChunkRef write(ChunkRef ref, List<Segment> segments, boolean sync) throws CairnException {
        for (Segment s : segments) {
            if (s.offset() < 0 || s.offset() + s.data().remaining() > ref.chunkSize()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "write of " + s.data().remaining() + " bytes at "
                        + s.offset() + " does not fit chunk size " + ref.chunkSize());
            }
        }
        List<Piece> pending = split(segments);
        Backoff backoff = Backoff.within(ioTimeout);
        boolean inOrder = false;
        String lastProblem = "";
        while (!pending.isEmpty()) {
            List<Piece> round = new ArrayList<>(pending.subList(0, inOrder ? 1 : roundSize(pending)));
            Replica primary = ref.primary();
            List<Future<StorageReply>> calls = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Piece p = round.get(i);
                calls.add(storage.async(primary.getAddress()).write(request(p)
                        .setTarget(ref.target()).setBrickId(primary.getBrickId()).setExpectedLength(ref.info().getLength())
                        .setSync(sync && pending.size() == round.size() && i == round.size() - 1).build()));
            }
            Outcome worst = Outcome.DONE;
            for (int i = 0; i < round.size(); i++) {
                StorageReply reply = null;
                try {
                    reply = calls.get(i).get(backoff.remainingNanos(), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new CairnException(ErrorCode.TIMEOUT, "interrupted while writing", e);
                    }
                    lastProblem = primary.getAddress() + " unreachable: " + e.getMessage();
                }
                // Only a call that got no answer means an unreachable primary; an answer's error
                // is judged by its code (a refusal the writer cannot mend is thrown from here).
                Outcome o = reply == null ? Outcome.PRIMARY_FAILED : outcome(reply, primary);
                if (o == Outcome.DONE) {
                    Piece acked = round.get(i);
                    pending.removeIf(p -> p == acked);
                    if (reply.getNewEpoch() > ref.info().getEpoch()) {
                        ref = ref.withPlacement(reply.getNewEpoch(), reply.getNewPlacementList());
                    }
                } else if (reply != null) {
                    lastProblem = primary.getAddress() + ": " + reply.getCode() + " " + reply.getMessage();
                }
                if (o.ordinal() > worst.ordinal()) {
                    worst = o;
                }
            }
            if (worst == Outcome.DONE) {
                continue;
            }
            if (backoff.expired()) {
                throw new CairnException(ErrorCode.IO_ERROR, "write to chunk " + ref.index() + " of inode " + ref.inode()
                        + " did not complete within " + ioTimeout.toSeconds() + " s; last problem: " + lastProblem);
            }
            inOrder = true;  // re-send one at a time, so replicas that lag behind fill in without gaps
            ref = recover(ref, worst, lastProblem);
            backoff.pause("retrying a write");
        }
        return ref;
    }

    /** How many of the pending pieces go in the next round: {@code window} MiB, at most {@value #SMALL_PIECES_IN_FLIGHT}. */
    private int roundSize(List<Piece> pending) {
        long bytes = 0;
        int n = 0;
        while (n < pending.size() && n < Math.max(window, SMALL_PIECES_IN_FLIGHT)) {
            bytes += pending.get(n).bytes();
            if (n > 0 && bytes > (long) window * PIECE) {
                break;
            }
            n++;
        }
        return n;
    }

    private ChunkRef recover(ChunkRef ref, Outcome worst, String lastProblem) throws CairnException {
        try {
            if (worst == Outcome.PRIMARY_FULL) {
                return failOverFull(ref, lastProblem);
            }
            if (worst == Outcome.PRIMARY_FAILED && ref.info().getPlacementCount() > 1) {
                return ref.dropPrimary(meta, cred);
            }
            return ref.refresh(meta, cred);
        } catch (CairnException e) {
            // STALE_EPOCH: someone else changed the placement first (another writer, the primary
            // dropping a replica); QUORUM_NOT_MET: below min-size, wait for replicas to come back.
            if (e.code() == ErrorCode.STALE_EPOCH || e.code() == ErrorCode.QUORUM_NOT_MET) {
                return ref.refresh(meta, cred);
            }
            throw e;
        }
    }

    /**
     * The primary's brick is full: another replica becomes the primary, as for an unreachable
     * one, while min-size replicas remain; else the write fails at once with ENOSPC instead of
     * waiting out the I/O timeout for space that nobody is freeing.
     */
    private ChunkRef failOverFull(ChunkRef ref, String lastProblem) throws CairnException {
        if (ref.info().getPlacementCount() > 1) {
            try {
                return ref.dropPrimary(meta, cred);
            } catch (CairnException e) {
                if (e.code() != ErrorCode.QUORUM_NOT_MET) {
                    throw e;
                }
            }
        }
        throw new CairnException(ErrorCode.NO_SPACE, "write to chunk " + ref.index() + " of inode " + ref.inode()
                + " failed: no replica left to take it; " + lastProblem);
    }

    private static Outcome outcome(StorageReply reply, Replica primary) throws CairnException {
        return switch (reply.getCode()) {
            case OK -> Outcome.DONE;
            case NO_SPACE -> {
                if (reply.getFailedBricksList().contains(primary.getBrickId())) {
                    yield Outcome.PRIMARY_FULL;
                }
                throw new CairnException(ErrorCode.NO_SPACE, primary.getAddress() + ": " + reply.getMessage());
            }
            case STALE_EPOCH -> Outcome.STALE;
            case QUORUM_NOT_MET -> Outcome.BELOW_MIN_SIZE;
            case NOT_FOUND, IO_ERROR, UNAVAILABLE, TIMEOUT -> Outcome.PRIMARY_FAILED;
            case CHECKSUM_MISMATCH -> Outcome.RETRY;  // damaged on the way: send it again
            default -> throw Replies.error(reply, "");
        };
    }

    /** Most ranges in one call: small writes packed together, one round trip for them all. */
    private static final int EXTENTS_PER_CALL = 256;

    /**
     * The calls that carry the segments: each segment cut into ranges of at most 1 MiB, and
     * consecutive ranges packed into one call up to 1 MiB (and {@value #EXTENTS_PER_CALL} ranges).
     */
    private static List<Piece> split(List<Segment> segments) {
        List<Piece> pieces = new ArrayList<>();
        List<Extent> packing = new ArrayList<>();
        int packed = 0;
        for (Segment s : segments) {
            ByteBuffer rest = s.data().duplicate();
            long at = s.offset();
            while (rest.hasRemaining()) {
                int n = Math.min(PIECE, rest.remaining());
                if (packed + n > PIECE || packing.size() == EXTENTS_PER_CALL) {
                    pieces.add(new Piece(packing, packed));
                    packing = new ArrayList<>();
                    packed = 0;
                }
                ByteBuffer slice = rest.slice(rest.position(), n);
                List<Integer> crcs = new ArrayList<>();
                for (int c : Crc32c.blocks(slice)) {
                    crcs.add(c);
                }
                packing.add(new Extent(at, UnsafeByteOperations.unsafeWrap(slice), crcs));
                packed += n;
                rest.position(rest.position() + n);
                at += n;
            }
        }
        if (!packing.isEmpty()) {
            pieces.add(new Piece(packing, packed));
        }
        return pieces;
    }

    /** The call of a piece: its first range in the request's own fields, the rest as extents. */
    private static WriteRequest.Builder request(Piece p) {
        Extent first = p.extents().get(0);
        WriteRequest.Builder b = WriteRequest.newBuilder().setOffset(first.offset()).setData(first.data())
                .addAllCrcs(first.crcs());
        for (Extent e : p.extents().subList(1, p.extents().size())) {
            b.addExtents(WriteExtent.newBuilder().setOffset(e.offset()).setData(e.data()).addAllCrcs(e.crcs()));
        }
        return b;
    }
}
