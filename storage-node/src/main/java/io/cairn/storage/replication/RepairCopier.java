package io.cairn.storage.replication;

import com.google.protobuf.UnsafeByteOperations;
import io.cairn.common.CairnException;
import io.cairn.common.Crc32c;
import io.cairn.common.ErrorCode;
import io.cairn.proto.ChunkTarget;
import io.cairn.proto.RepairRequest;
import io.cairn.proto.Replica;
import io.cairn.proto.StorageReply;
import io.cairn.proto.WriteRequest;
import io.cairn.storage.chunk.ChunkStore;
import io.cairn.storage.chunk.RatePacer;
import io.cairn.storage.chunk.ReplicaInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Repair, as the chunk's primary: with the chunk's writes held, copies this replica (checked
 * block by block as it is read) to each new brick, then asks meta for the next epoch with the
 * new bricks in and the dropped ones out, and moves every remaining replica to that epoch.
 * A new brick that fails the copy is left out; the leader retries at its next scan.
 *
 * <p>Threading: a repair holds the chunk's lock from the drain of its stream to the new epoch,
 * so no write of the chunk runs meanwhile; repairs of different chunks run in parallel.
 *
 * <p>Errors: INVALID_ARGUMENT when the brick is not the primary; NOT_FOUND or IO_ERROR when this
 * replica cannot be the source; IO_ERROR when no copy succeeded and nothing is dropped; meta's
 * refusals of the new placement (STALE_EPOCH, QUORUM_NOT_MET).
 */
public final class RepairCopier {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RepairCopier.class);

    private final String address;
    private final BrickStores stores;
    private final ChunkLocks locks;
    private final ChunkStreams streams;
    private final Replicator replicator;
    private final ChunkPlacements placements;
    private final EpochChanges epochs;

    /** {@code address}: this node's, to begin its log lines with. */
    public RepairCopier(String address, BrickStores stores, ChunkLocks locks, ChunkStreams streams, Replicator replicator,
                        ChunkPlacements placements) {
        this.address = address;
        this.stores = stores;
        this.locks = locks;
        this.streams = streams;
        this.replicator = replicator;
        this.placements = placements;
        this.epochs = new EpochChanges(placements, replicator);
    }

    /** Carries out {@code r}; the reply has the chunk's new epoch and placement. The target's shape is the caller's to check. */
    public StorageReply repair(RepairRequest r) throws CairnException {
        ChunkTarget t = r.getTarget();
        if (!ChunkTargets.isPrimary(t, r.getBrickId())) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "brick " + r.getBrickId()
                    + " is not the primary of chunk " + Long.toHexString(t.getChunkId()) + "; repairs go to the first replica");
        }
        ChunkStore store = stores.store(r.getBrickId());
        Object lock = locks.of(t.getChunkId());
        synchronized (lock) {
            streams.drain(lock, t.getChunkId());  // the copy must not miss a write still in flight
            epochs.catchUp(store, t, r.getBrickId());
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
            EpochChanges.Advanced done = epochs.advance(store, t, placements.replace(t, placement));
            ChunkTarget after = done.target();
            log.info("{} repaired chunk {}: epoch {} placement {}", address, Long.toHexString(t.getChunkId()),
                    after.getEpoch(), placement);
            if (!done.lagging().isEmpty()) {
                return epochs.dropFailed(store, after, done.lagging(), mine.length());
            }
            return StorageReply.newBuilder().setLength(mine.length()).setNewEpoch(after.getEpoch())
                    .addAllNewPlacement(after.getPlacementList()).build();
        }
    }

    /** Streams this replica to a new brick in pieces, each checked on read here and on write there. */
    private void copy(ChunkStore store, ChunkTarget t, long length, Replica to, RatePacer pacer) throws CairnException {
        long offset = 0;
        do {
            int n = (int) Math.min(WriteRanges.MAX_PIECE, length - offset);
            ByteBuffer data = store.read(t.getChunkId(), t.getEpoch(), offset, n);
            WriteRequest.Builder w = WriteRequest.newBuilder().setTarget(t).setBrickId(to.getBrickId())
                    .setOffset(offset).setExpectedLength(offset).setFresh(offset == 0)
                    .setSync(offset + n >= length);
            for (int c : Crc32c.blocks(data.duplicate())) {
                w.addCrcs(c);
            }
            w.setData(UnsafeByteOperations.unsafeWrap(data));  // read for this call only: sent as it is
            WriteRequest call = w.build();
            if (!replicator.forward(List.of(to), rep -> replicator.peers().replicate(rep, call)).isEmpty()) {
                throw new CairnException(ErrorCode.IO_ERROR, "brick " + to.getBrickId() + " did not take the copy at offset " + offset);
            }
            offset += n;
            pacer.pace(n);
        } while (offset < length);
    }
}
