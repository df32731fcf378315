package io.cairn.storage.node;

import io.cairn.common.Replies;
import com.google.protobuf.UnsafeByteOperations;
import io.cairn.common.BricksFullException;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.common.StaleEpochException;
import io.cairn.proto.ChunkInfo;
import io.cairn.proto.ChunkRequest;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.IdentifyReply;
import io.cairn.proto.IdentifyRequest;
import io.cairn.proto.PrepareBrickRequest;
import io.cairn.proto.ReadReply;
import io.cairn.proto.ReadRequest;
import io.cairn.proto.ReleaseBrickRequest;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.ReplicaDelete;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.StorageServiceGrpc;
import io.cairn.proto.TruncateRequest;
import io.cairn.proto.ZeroRequest;
import io.cairn.proto.CopyInRequest;
import io.cairn.proto.DataRangesReply;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.chunk.FileChunkStore;
import io.cairn.storage.chunk.ReplicaInfo;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The StorageService of one node. As a chunk's primary it orders writes (one at a time per
 * chunk), writes locally and forwards to the other replicas in parallel, answering when every
 * replica of the epoch has the bytes; as a replica it applies what the primary forwards unless
 * that would leave it with bytes it never received.
 */
public final class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StorageGrpcService.class);
    public static final int MAX_PIECE = 1 << 20;
    private static final int STRIPES = 256;

    private final String nodeUuid;
    private final String address;
    private final BrickRegistry bricks;
    private final Replicator replicator;
    private final ChunkPlacements placements;
    private final Object[] chunkLocks = new Object[STRIPES];
    private final ChunkStreams streams;
    private final CopySource copySource;
    private final ChunkEdits edits;

    public StorageGrpcService(String nodeUuid, String address, BrickRegistry bricks, Replicator replicator,
                              ChunkPlacements placements, java.time.Duration orderWait) {
        this.streams = new ChunkStreams(orderWait);
        this.copySource = new CopySource(bricks, replicator, orderWait);
        this.edits = new ChunkEdits(bricks, replicator, streams, this::lockOf);
        this.nodeUuid = nodeUuid;
        this.address = address;
        this.bricks = bricks;
        this.replicator = replicator;
        this.placements = placements;
        for (int i = 0; i < STRIPES; i++) {
            chunkLocks[i] = new Object();
        }
    }

    @Override
    public void write(WriteRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> writeAsPrimary(r));
    }

    /** copy_file_range: the source's bytes read here (see {@link CopySource}) and written as {@link #write} writes. */
    @Override
    public void copyIn(CopyInRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            checkPiece(r.getLength());
            ByteBuffer data = copySource.read(r);
            return writeAsPrimary(WriteRequest.newBuilder().setTarget(r.getTarget()).setBrickId(r.getBrickId())
                    .setOffset(r.getOffset()).setData(UnsafeByteOperations.unsafeWrap(data.duplicate()))
                    .addAllCrcs(java.util.Arrays.stream(io.cairn.common.Crc32c.blocks(data)).boxed().toList())
                    .setExpectedLength(r.getExpectedLength()).build());
        });
    }

    /**
     * A client's write to this primary: written here and forwarded to the other replicas of the
     * epoch; replicas that fail are dropped from the placement (the reply says the new one).
     */
    private StorageReply writeAsPrimary(WriteRequest r) throws CairnException {
        {
            ChunkTarget t = r.getTarget();
            checkPiece(WriteRanges.bytes(r));
            StorageRequests.target(t);
            WriteRanges.check(t, r);
            StorageRequests.range(t, r.getExpectedLength(), 0);
            if (t.getPlacementCount() == 0 || t.getPlacement(0).getBrickId() != r.getBrickId()) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + r.getBrickId()
                        + " is not the primary of chunk " + Long.toHexString(t.getChunkId()) + "; send writes to the first replica");
            }
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            long chunk = t.getChunkId();
            Object lock = lockOf(chunk);
            ChunkStreams.Primary stream;
            Replicator.Forwarded forwards;
            ReplicaInfo after = null;
            CairnException local = null;
            // Under the chunk's lock only what fixes the order: the piece's number, the start of
            // the forwards and the local write. The wait for the replicas is outside it, so the
            // next piece is forwarded while this one is still on its way (pipelining).
            synchronized (lock) {
                streams.awaitOpen(lock, chunk, t.getEpoch());
                catchUpEpoch(store, t, r.getBrickId());
                stream = streams.join(chunk, t.getEpoch(), () -> lengthOrCreate(store, t, r.getExpectedLength() == 0));
                long seq = stream.nextSeq++;
                long expected = stream.projected;
                long id = stream.id;
                stream.inflight++;
                // What the primary refuses (stale epoch, bad range or checksum) the replicas refuse
                // the same way; if the primary's disk fails instead, the writer's retry finds the
                // replicas ahead, which they accept (no gap).
                try {
                    forwards = replicator.start(StorageRequests.others(t), rep -> replicator.replicate(rep, r.toBuilder()
                            .setBrickId(rep.getBrickId()).setExpectedLength(expected).setStream(id).setSeq(seq).build()));
                } catch (RuntimeException e) {
                    streams.finished(lock, chunk, stream);
                    throw e;
                }
                try {
                    after = WriteRanges.write(store, t, WriteRanges.of(r));
                    if (r.getSync()) {
                        store.sync(chunk);
                    }
                    stream.projected = after.length();
                } catch (CairnException e) {
                    local = e.code() == ErrorCode.NO_SPACE && !(e instanceof BricksFullException)
                            ? new BricksFullException(e.getMessage(), List.of(r.getBrickId()), e) : e;
                }
            }
            Replicator.Failures failures = replicator.awaitFailures(forwards);
            List<Long> failed = failures.bricks();
            synchronized (lock) {
                streams.finished(lock, chunk, stream);
                if (local != null) {
                    throw local;
                }
                if (failed.isEmpty()) {
                    return done(after.length(), failed);
                }
                long now = store.info(chunk).map(ReplicaInfo::epoch).orElse(0L);
                if (now != t.getEpoch()) {
                    // Another piece changed the placement meanwhile: this one goes again, at the new epoch.
                    throw new StaleEpochException("chunk " + Long.toHexString(chunk) + " moved to epoch " + now
                            + " while this write was in flight; send it again", now);
                }
                try {
                    return dropFailed(store, t, r.getBrickId(), failed, after.length());
                } catch (CairnException e) {
                    throw failures.allFull() && e.code() == ErrorCode.QUORUM_NOT_MET ? noSpace(t, failures, e) : e;
                }
            }
        }
    }

    /**
     * Replicas refused a write for want of space and dropping them would leave fewer than
     * min-size: the writer gets ENOSPC at once, not a quorum error it would wait out.
     */
    private static CairnException noSpace(ChunkTarget t, Replicator.Failures failures, CairnException cause) {
        List<String> full = new ArrayList<>();
        for (Replica rep : t.getPlacementList()) {
            if (failures.full().contains(rep.getBrickId())) {
                full.add(rep.getAddress() + " brick " + rep.getBrickId());
            }
        }
        return new BricksFullException("chunk " + Long.toHexString(t.getChunkId()) + " cannot take the write:"
                + " the replicas on " + full + " are full and too few others remain (" + cause.getMessage()
                + "); free space on those bricks or add bricks with `cairn volume add-brick`", failures.full(), cause);
    }

    private Object lockOf(long chunkId) {
        return chunkLocks[(int) (chunkId & (STRIPES - 1))];
    }

    /**
     * A writer that replaced an unreachable primary brings the next epoch before this node's
     * replica has it. If meta confirms that epoch and that this brick now leads the chunk, the
     * primary moves itself and the other replicas to it; replicas that cannot follow refuse the
     * write that comes next and are dropped then.
     */
    private void catchUpEpoch(FileChunkStore store, ChunkTarget t, long brickId) throws CairnException {
        Optional<ReplicaInfo> mine = store.info(t.getChunkId());
        if (mine.isEmpty() || mine.get().epoch() >= t.getEpoch()) {
            return;
        }
        ChunkInfo current = placements.current(t);
        if (current.getEpoch() != t.getEpoch() || current.getPlacementCount() == 0
                || current.getPlacement(0).getBrickId() != brickId) {
            throw new StaleEpochException("chunk " + Long.toHexString(t.getChunkId()) + " is at epoch "
                    + current.getEpoch() + " with another placement; the writer is at epoch " + t.getEpoch(),
                    current.getEpoch());
        }
        store.setEpoch(t.getChunkId(), t.getEpoch());
        replicator.forward(StorageRequests.others(t), rep -> replicator.setEpoch(rep,
                ChunkRequest.newBuilder().setTarget(t).setBrickId(rep.getBrickId()).build()));
    }

    /**
     * Some replicas did not take a write that the primary and the others hold: continue without
     * them at the next epoch, if at least min-size replicas remain (meta decides). The dropped
     * replicas stay at the old epoch, fenced, until repair replaces or refreshes them.
     */
    private StorageReply dropFailed(FileChunkStore store, ChunkTarget t, long primaryBrick, List<Long> failed,
                                    long length) throws CairnException {
        List<Long> dropped = new ArrayList<>(failed);
        ChunkTarget current = t;
        for (int round = 0; round < current.getPlacementCount(); round++) {
            ChunkInfo next = placements.drop(current, dropped);
            store.setEpoch(t.getChunkId(), next.getEpoch());
            ChunkTarget nextTarget = current.toBuilder().setEpoch(next.getEpoch()).clearPlacement()
                    .addAllPlacement(next.getPlacementList()).build();
            List<Long> lagging = replicator.forward(StorageRequests.others(nextTarget), rep -> replicator.setEpoch(rep,
                    ChunkRequest.newBuilder().setTarget(nextTarget).setBrickId(rep.getBrickId()).build()));
            if (lagging.isEmpty()) {
                return StorageReply.newBuilder().setLength(length).addAllFailedBricks(dropped)
                        .setNewEpoch(next.getEpoch()).addAllNewPlacement(next.getPlacementList()).build();
            }
            dropped = new ArrayList<>(lagging);
            current = nextTarget;
        }
        throw new CairnException(ErrorCode.QUORUM_NOT_MET, "replicas of chunk " + Long.toHexString(t.getChunkId())
                + " kept failing while the placement changed; the write is not acknowledged");
    }

    @Override
    public void setEpoch(ChunkRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            ChunkTarget t = r.getTarget();
            StorageRequests.target(t);
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            synchronized (lockOf(t.getChunkId())) {
                return done(store.setEpoch(t.getChunkId(), t.getEpoch()).length(), List.of());
            }
        });
    }

    @Override
    public void replicate(WriteRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            ChunkTarget t = r.getTarget();
            checkPiece(WriteRanges.bytes(r));
            StorageRequests.target(t);
            WriteRanges.check(t, r);
            StorageRequests.range(t, r.getExpectedLength(), 0);
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            Object lock = lockOf(t.getChunkId());
            streams.awaitTurn(t.getChunkId(), r.getStream(), r.getSeq());
            synchronized (lock) {
                try {
                    return applyReplicated(store, t, r);
                } finally {
                    streams.applied(t.getChunkId(), r.getStream(), r.getSeq());
                }
            }
        });
    }

    /** A forwarded write on this replica, in the stream's order; the caller holds the chunk's lock. */
    private StorageReply applyReplicated(FileChunkStore store, ChunkTarget t, WriteRequest r) throws CairnException {
        if (r.getFresh()) {
            startCopy(store, t, r);
        }
        long held = lengthOrCreate(store, t, r.getExpectedLength() == 0);
        // Same state as the primary: take it, even if it opens a gap (the primary has the same
        // gap). Otherwise take it only if it opens no gap here: after a primary failed, a writer
        // re-sends its unacknowledged pieces in order and they fill in what this replica lacks.
        // Acknowledged writes are on every replica of the epoch, and the epoch fences any
        // replica that missed one.
        List<WriteRanges.Range> ranges = WriteRanges.of(r);
        if (held != r.getExpectedLength()) {
            for (WriteRanges.Range range : ranges) {
                if (range.offset() > held) {
                    throw new CairnException(ErrorCode.IO_ERROR, "replica of chunk " + Long.toHexString(t.getChunkId())
                            + " on brick " + r.getBrickId() + " holds " + held + " bytes, the primary held "
                            + r.getExpectedLength() + ": a write at " + range.offset() + " would leave a gap; it needs repair");
                }
                held = Math.max(held, range.offset() + range.data().size());
            }
        }
        ReplicaInfo after = WriteRanges.write(store, t, ranges);
        if (r.getSync()) {
            store.sync(t.getChunkId());
        }
        return done(after.length(), List.of());
    }

    /** First piece of a repair copy: whatever this brick held of the chunk gives way to a new replica. */
    private static void startCopy(FileChunkStore store, ChunkTarget t, WriteRequest r) throws CairnException {
        if (r.getOffset() != 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a repair copy starts at offset 0, not " + r.getOffset());
        }
        store.delete(t.getChunkId());
        store.create(t.getChunkId(), t.getEpoch(), t.getChunkSize(), t.getInode(), t.getIndex());
    }

    /**
     * Repair, as the chunk's primary: with the chunk's writes held, copies this replica (checked
     * block by block as it is read) to each new brick, then asks meta for the next epoch with the
     * new bricks in and the dropped ones out, and moves every remaining replica to that epoch.
     * A new brick that fails the copy is left out; the leader retries at its next scan.
     */
    @Override
    public void repair(RepairRequest r, StreamObserver<StorageReply> out) {
        reply(out, () -> {
            ChunkTarget t = r.getTarget();
            StorageRequests.target(t);
            if (!StorageRequests.isPrimary(t, r.getBrickId())) {
                throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + r.getBrickId()
                        + " is not the primary of chunk " + Long.toHexString(t.getChunkId()) + "; repairs go to the first replica");
            }
            FileChunkStore store = bricks.get(r.getBrickId()).store();
            Object lock = lockOf(t.getChunkId());
            synchronized (lock) {
                streams.drain(lock, t.getChunkId());  // the copy must not miss a write still in flight
                catchUpEpoch(store, t, r.getBrickId());
                Optional<ReplicaInfo> held = store.info(t.getChunkId());
                if (held.isEmpty()) {
                    throw new CairnException(ErrorCode.NOT_FOUND, "brick " + r.getBrickId() + " holds no replica of chunk "
                            + Long.toHexString(t.getChunkId()) + " to copy");
                }
                ReplicaInfo mine = held.get();
                if (mine.length() < r.getLength()) {
                    throw new CairnException(ErrorCode.IO_ERROR, "brick " + r.getBrickId() + " holds " + mine.length()
                            + " bytes of chunk " + Long.toHexString(t.getChunkId()) + ", its length is " + r.getLength()
                            + ": it cannot be the source of a repair");
                }
                // A member whose replica is copied afresh (it was corrupt, torn or short) stays in the
                // placement while its copy grows: a reader meets a prefix whose checksums hold and goes
                // to the next replica for the rest (ChunkReader), and taking it out first could leave
                // fewer than min-size members (two corrupt replicas of three could never be repaired).
                RatePacer pacer = new RatePacer(r.getBytesPerSecond());
                List<Long> placement = new ArrayList<>(t.getPlacementList().stream().map(Replica::getBrickId).toList());
                placement.removeAll(r.getDropList());
                int copies = 0;
                for (Replica to : r.getAddList()) {
                    try {
                        copy(store, t, mine.length(), to, pacer);
                        placement.add(to.getBrickId());
                        copies++;
                    } catch (CairnException e) {
                        log.warn("{} repair copy of chunk {} to brick {} at {} failed: {}", address,
                                Long.toHexString(t.getChunkId()), to.getBrickId(), to.getAddress(), e.getMessage());
                    }
                }
                if (copies == 0 && r.getDropCount() == 0) {
                    throw new CairnException(ErrorCode.IO_ERROR, "no repair copy of chunk "
                            + Long.toHexString(t.getChunkId()) + " succeeded");
                }
                Advanced done = advance(store, t, placements.replace(t, placement));
                ChunkTarget after = done.target();
                log.info("{} repaired chunk {}: epoch {} placement {}", address, Long.toHexString(t.getChunkId()),
                        after.getEpoch(), placement);
                if (!done.lagging().isEmpty()) {
                    return dropFailed(store, after, r.getBrickId(), done.lagging(), mine.length());
                }
                return StorageReply.newBuilder().setLength(mine.length()).setNewEpoch(after.getEpoch())
                        .addAllNewPlacement(after.getPlacementList()).build();
            }
        });
    }

    /** A chunk moved to a new epoch, and the members that did not follow. */
    private record Advanced(ChunkTarget target, List<Long> lagging) {
    }

    /** Moves this replica and the other members to the epoch meta just committed. */
    private Advanced advance(FileChunkStore store, ChunkTarget t, ChunkInfo next) throws CairnException {
        store.setEpoch(t.getChunkId(), next.getEpoch());
        ChunkTarget nextTarget = t.toBuilder().setEpoch(next.getEpoch()).clearPlacement()
                .addAllPlacement(next.getPlacementList()).build();
        List<Long> lagging = replicator.forward(StorageRequests.others(nextTarget), rep -> replicator.setEpoch(rep,
                ChunkRequest.newBuilder().setTarget(nextTarget).setBrickId(rep.getBrickId()).build()));
        return new Advanced(nextTarget, lagging);
    }

    /** Streams this replica to a new brick in pieces, each checked on read here and on write there. */
    private void copy(FileChunkStore store, ChunkTarget t, long length, Replica to, RatePacer pacer) throws CairnException {
        long offset = 0;
        do {
            int n = (int) Math.min(MAX_PIECE, length - offset);
            ByteBuffer data = store.read(t.getChunkId(), t.getEpoch(), offset, n);
            WriteRequest.Builder w = WriteRequest.newBuilder().setTarget(t).setBrickId(to.getBrickId())
                    .setOffset(offset).setExpectedLength(offset).setFresh(offset == 0)
                    .setSync(offset + n >= length);
            for (int c : io.cairn.common.Crc32c.blocks(data.duplicate())) {
                w.addCrcs(c);
            }
            w.setData(UnsafeByteOperations.unsafeWrap(data));  // read for this call only: sent as it is
            WriteRequest call = w.build();
            if (!replicator.forward(List.of(to), rep -> replicator.replicate(rep, call)).isEmpty()) {
                throw new CairnException(ErrorCode.IO_ERROR, "brick " + to.getBrickId() + " did not take the copy at offset " + offset);
            }
            offset += n;
            pacer.pace(n);
        } while (offset < length);
    }

    /**
     * Deletes a garbage replica as the meta leader asked, unless it is newer than the epoch the
     * leader judged (it became a repair copy since). Returns whether nothing of it is left.
     */
    public boolean deleteGarbage(ReplicaDelete d) {
        try {
            FileChunkStore store = bricks.get(d.getBrickId()).store();
            synchronized (lockOf(d.getChunkId())) {
                Optional<ReplicaInfo> info = store.info(d.getChunkId());
                if (info.isPresent() && info.get().epoch() > d.getMaxEpoch()) {
                    return false;
                }
                store.delete(d.getChunkId());
                return true;
            }
        } catch (CairnException e) {
            log.warn("{} cannot delete replica of chunk {} on brick {}: {}", address,
                    Long.toHexString(d.getChunkId()), d.getBrickId(), e.getMessage());
            return false;
        }
    }

    @Override
    public void read(ReadRequest r, StreamObserver<ReadReply> out) {
        ReadReply.Builder reply = ReadReply.newBuilder();
        try {
            checkPiece(r.getLength());
            ChunkTarget t = r.getTarget();
            StorageRequests.target(t);
            StorageRequests.range(t, r.getOffset(), 0);  // a read may ask past the end: it gets fewer bytes
            StorageRequests.target(t);
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
            List<Long> failed = StorageRequests.isPrimary(t, r.getBrickId())
                    ? replicator.forward(StorageRequests.others(t), rep -> replicator.sync(rep, r.toBuilder().setBrickId(rep.getBrickId()).build()))
                    : List.of();
            return done(store.info(t.getChunkId()).map(ReplicaInfo::length).orElse(0L), failed);
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

    /** The replica's length; a missing replica is created when the write starts a new chunk. */
    private static long lengthOrCreate(FileChunkStore store, ChunkTarget t, boolean mayCreate) throws CairnException {
        Optional<ReplicaInfo> info = store.info(t.getChunkId());
        if (info.isPresent()) {
            return info.get().length();
        }
        if (!mayCreate) {
            throw new CairnException(ErrorCode.NOT_FOUND, "chunk " + Long.toHexString(t.getChunkId())
                    + " has no replica on this brick although it holds data elsewhere: it needs repair");
        }
        store.create(t.getChunkId(), t.getEpoch(), t.getChunkSize(), t.getInode(), t.getIndex());
        return 0;
    }

    /** The reply of a change made here and forwarded: QUORUM_NOT_MET naming the bricks that did not take it. */
    static StorageReply done(long length, List<Long> failed) {
        StorageReply.Builder b = StorageReply.newBuilder().setLength(length).addAllFailedBricks(failed);
        if (!failed.isEmpty()) {
            b.setCode(io.cairn.proto.ErrorCode.QUORUM_NOT_MET)
                    .setMessage("replicas on bricks " + failed + " did not take the write");
        }
        return b.build();
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
