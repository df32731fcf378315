package io.cairn.storage.node;

import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.CopyInRequest;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.Replica;
import io.cairn.storage.replication.Peers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The bytes a CopyIn copies: read from a replica of the source chunk of the current epoch, this
 * node's own brick's first when it holds one (no network), else the others in placement order.
 * A replica that holds fewer bytes than the client says the chunk has is skipped; when none can
 * serve, the copy fails (IO_ERROR) and the client copies the range through itself, whose reader
 * knows how to wait for replicas and ask for repairs.
 */
final class CopySource {
    private final BrickRegistry bricks;
    private final Peers peers;
    private final Duration timeout;

    CopySource(BrickRegistry bricks, Peers peers, Duration timeout) {
        this.bricks = bricks;
        this.peers = peers;
        this.timeout = timeout;
    }

    /** Exactly {@code r.length} bytes: the source's, then zeros past its data. */
    ByteBuffer read(CopyInRequest r) throws CairnException {
        ChunkTarget s = r.getSource();
        StorageRequests.target(s);
        StorageRequests.range(s, r.getSourceOffset(), r.getLength());
        ByteBuffer out = ByteBuffer.allocate(r.getLength());
        int want = (int) Math.max(0, Math.min(r.getLength(), r.getSourceLength() - r.getSourceOffset()));
        if (want == 0) {
            return out;
        }
        String last = "no replica";
        for (Replica rep : ordered(s)) {
            try {
                ByteBuffer got = local(rep)
                        ? bricks.get(rep.getBrickId()).store().read(s.getChunkId(), s.getEpoch(), r.getSourceOffset(), want)
                        : remote(rep, s, r.getSourceOffset(), want);
                if (got.remaining() >= want) {
                    out.put(got.limit(got.position() + want));
                    return out.clear();
                }
                last = rep.getAddress() + " holds " + (r.getSourceOffset() + got.remaining()) + " bytes of the chunk";
            } catch (CairnException e) {
                last = rep.getAddress() + ": " + e.getMessage();
            }
        }
        throw new CairnException(ErrorCode.IO_ERROR, "no replica of source chunk " + Long.toHexString(s.getChunkId())
                + " could give bytes " + r.getSourceOffset() + ".." + (r.getSourceOffset() + want) + " (last: " + last
                + "); copy the range through the client");
    }

    /** This node's own replicas first. */
    private java.util.List<Replica> ordered(ChunkTarget s) {
        java.util.List<Replica> out = new java.util.ArrayList<>(s.getPlacementList());
        out.sort(java.util.Comparator.comparing(rep -> !local(rep)));
        return out;
    }

    private boolean local(Replica rep) {
        return bricks.all().stream().anyMatch(b -> b.id() == rep.getBrickId());
    }

    private ByteBuffer remote(Replica rep, ChunkTarget s, long offset, int length) throws CairnException {
        try {
            ReadReply reply = peers.read(rep, ReadRequest.newBuilder().setTarget(s).setBrickId(rep.getBrickId())
                    .setOffset(offset).setLength(length).build()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.getCode() != io.cairn.proto.ErrorCode.OK) {
                throw new CairnException(ErrorCode.fromProto(reply.getCode()), reply.getMessage());
            }
            return reply.getData().asReadOnlyByteBuffer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERRUPTED, "interrupted while reading the source of a copy");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new CairnException(ErrorCode.UNAVAILABLE, "unreachable: " + e);
        }
    }
}
