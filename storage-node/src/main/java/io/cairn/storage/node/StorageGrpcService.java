package io.cairn.storage.node;

import com.google.protobuf.UnsafeByteOperations;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.Replies;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.CopyInRequest;
import io.cairn.proto.DataRangesReply;
import io.cairn.proto.IdentifyReply;
import io.cairn.proto.IdentifyRequest;
import io.cairn.proto.PrepareBrickRequest;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.ReleaseBrickRequest;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.proto.TruncateRequest;
import io.cairn.proto.WriteRequest;
import io.cairn.proto.ZeroRequest;
import io.cairn.storage.chunk.FileChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import io.cairn.storage.replication.ChunkTargets;
import io.cairn.storage.replication.PrimaryWriter;
import io.cairn.storage.replication.RepairCopier;
import io.cairn.storage.replication.ReplicaApplier;
import io.cairn.storage.replication.Replicator;
import io.cairn.storage.replication.WriteRanges;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The StorageService of one node: decodes each call, checks its shape, hands it to the part that
 * does the work and encodes the answer. The replication protocol itself (a primary's ordered,
 * forwarded writes, a replica applying them, repair copies) lives in {@code
 * io.cairn.storage.replication}; truncate and zero in {@link ChunkEdits}.
 */
public final class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
    public static final int MAX_PIECE = WriteRanges.MAX_PIECE;

    private final String nodeUuid;
    private final String address;
    private final BrickRegistry bricks;
    private final Replicator replicator;
    private final PrimaryWriter writer;
    private final ReplicaApplier applier;
    private final RepairCopier repairs;
    private final ChunkEdits edits;
    private final CopySource copySource;

    StorageGrpcService(String nodeUuid, String address, BrickRegistry bricks, Replicator replicator, PrimaryWriter writer,
                       ReplicaApplier applier, RepairCopier repairs, ChunkEdits edits, CopySource copySource) {
        this.nodeUuid = nodeUuid;
        this.address = address;
        this.bricks = bricks;
        this.replicator = replicator;
        this.writer = writer;
        this.applier = applier;
        this.repairs = repairs;
        this.edits = edits;
        this.copySource = copySource;
    }

    /**
     * A client's write to this primary: written here and forwarded to the other replicas of the
     * epoch; replicas that fail are dropped from the placement (the reply says the new one).
     */
    @Override
    public void write(WriteRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            checkWrite(r);
            return writer.write(r);
        });
    }

    /** copy_file_range: the source's bytes read here (see {@link CopySource}) and written as {@link #write} writes. */
    @Override
    public void copyIn(CopyInRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            checkPiece(r.getLength());
            ByteBuffer data = copySource.read(r);
            WriteRequest w = WriteRequest.newBuilder().setTarget(r.getTarget()).setBrickId(r.getBrickId())
                    .setOffset(r.getOffset()).setData(UnsafeByteOperations.unsafeWrap(data.duplicate()))
                    .addAllCrcs(java.util.Arrays.stream(io.cairn.common.Crc32c.blocks(data)).boxed().toList())
                    .setExpectedLength(r.getExpectedLength()).build();
            checkWrite(w);
            return writer.write(w);
        });
    }

    @Override
    public void setEpoch(ChunkRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            StorageRequests.target(r.getTarget());
            return applier.setEpoch(r);
        });
    }

    /** A piece of a write the chunk's primary forwards to this replica. */
    @Override
    public void replicate(WriteRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            checkWrite(r);
            return applier.apply(r);
        });
    }

    /** Repair of a chunk, as its primary (see {@link RepairCopier}). */
    @Override
    public void repair(RepairRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            StorageRequests.target(r.getTarget());
            return repairs.repair(r);
        });
    }

    @Override
    public void read(ReadRequest r, StreamObserver<ReadReply> out) {
        ReadReply.Builder reply = ReadReply.newBuilder();
        try {
            checkPiece(r.getLength());
            ChunkTarget t = r.getTarget();
            StorageRequests.target(t);
            StorageRequests.range(t, r.getOffset(), 0);  // a read may ask past the end: it gets fewer bytes
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            ByteBuffer data = store.read(t.getChunkId(), t.getEpoch(), r.getOffset(), r.getLength());
            reply.setData(UnsafeByteOperations.unsafeWrap(data))  // read for this reply only: sent as it is
                    .setReplicaLength(store.info(t.getChunkId()).map(ReplicaInfo::length).orElse(0L));
        } catch (CairnException e) {
            reply.setCode(e.code().toProto()).setMessage(e.getMessage());
        }
        out.onNext(reply.build());
        out.onCompleted();
    }

    @Override
    public void sync(ChunkRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            ChunkTarget t = r.getTarget();
            StorageRequests.target(t);
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            store.sync(t.getChunkId());
            List<Long> failed = ChunkTargets.isPrimary(t, r.getBrickId())
                    ? replicator.forward(ChunkTargets.others(t), rep -> replicator.peers().sync(rep, r.toBuilder().setBrickId(rep.getBrickId()).build()))
                    : List.of();
            return Replicator.done(store.info(t.getChunkId()).map(ReplicaInfo::length).orElse(0L), failed);
        });
    }

    @Override
    public void truncate(TruncateRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> edits.truncate(r));
    }

    @Override
    public void zero(ZeroRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> edits.zero(r));
    }

    @Override
    public void dataRanges(ChunkRequest r, StreamObserver<DataRangesReply> out) {
        out.onNext(edits.dataRanges(r));
        out.onCompleted();
    }

    @Override
    public void identify(IdentifyRequest r, StreamObserver<IdentifyReply> out) {
        IdentifyReply.Builder reply = IdentifyReply.newBuilder().setNodeUuid(nodeUuid).setAddress(address);
        for (BrickRegistry.Brick b : bricks.all()) {
            reply.addBricks(io.cairn.proto.NodeBrick.newBuilder().setBrickId(b.id()).setPath(b.path().toAbsolutePath().toString()));
        }
        out.onNext(reply.build());
        out.onCompleted();
    }

    @Override
    public void prepareBrick(PrepareBrickRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            if (!r.getIdentity().getNodeUuid().equals(nodeUuid)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + r.getPath() + " is meant for node "
                        + r.getIdentity().getNodeUuid() + ", this is node " + nodeUuid);
            }
            bricks.add(Path.of(r.getPath()), r.getIdentity());
            return StorageReply.getDefaultInstance();
        });
    }

    @Override
    public void releaseBrick(ReleaseBrickRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            if (!r.getIdentity().getNodeUuid().equals(nodeUuid)) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + r.getPath() + " is meant for node "
                        + r.getIdentity().getNodeUuid() + ", this is node " + nodeUuid);
            }
            bricks.release(Path.of(r.getPath()), r.getIdentity());
            return StorageReply.getDefaultInstance();
        });
    }

    /** The shape of a write or a forwarded piece: its size, its target, its ranges inside the chunk. */
    private static void checkWrite(WriteRequest r) throws CairnException {
        ChunkTarget t = r.getTarget();
        checkPiece(WriteRanges.bytes(r));
        StorageRequests.target(t);
        StorageRequests.writeRanges(t, r);
        StorageRequests.range(t, r.getExpectedLength(), 0);
    }

    private static void checkPiece(long bytes) throws CairnException {
        if (bytes < 0 || bytes > MAX_PIECE) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "a call carries at most " + MAX_PIECE + " bytes, this one "
                            + (bytes < 0 ? Integer.toUnsignedString((int) bytes) : Long.toString(bytes)) + "; split it");
        }
    }

    interface Call {
        StorageReply run() throws CairnException;
    }

    /**
     * The one place a CairnException becomes a StorageReply. The call runs detached from the
     * caller's gRPC context: once a primary has started a write it must finish it on every
     * replica (or change the placement) even if the writer gave up waiting; otherwise the
     * caller's cancellation would cancel the forwards and the primary would drop healthy replicas.
     */
    private static void reply(StreamObserver<StorageReply> out, Call call) {
        StorageReply reply;
        Context previous = Context.ROOT.attach();
        try {
            reply = call.run();
        } catch (CairnException e) {
            reply = Replies.storage(e);
        } finally {
            Context.ROOT.detach(previous);
        }
        out.onNext(reply);
        out.onCompleted();
    }

}
