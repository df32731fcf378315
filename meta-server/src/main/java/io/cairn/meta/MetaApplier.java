package io.cairn.meta;

import io.cairn.common.Replies;
import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.ApplyContext;
import io.cairn.meta.namespace.AttrOps;
import io.cairn.meta.namespace.ChunkOps;
import io.cairn.meta.namespace.EntryOps;
import io.cairn.meta.namespace.RenameOp;
import io.cairn.meta.pool.PoolOps;
import io.cairn.meta.pool.VolumeOps;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.MetaStore;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.MetaMutation;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.MetaReply;
import io.cairn.proto.state.AppliedIndex;
import io.cairn.proto.state.Counters;
import io.cairn.proto.state.DedupRecord;
import io.cairn.proto.state.LogEntry;
import io.cairn.proto.state.LogReply;
import io.cairn.proto.state.LoggedMutation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies log entries to the store: each mutation in order, each in its own save point so a
 * failed one leaves no trace, the replies of successful ones remembered per (client id, call id)
 * so a retried call is applied once, and the applied index written in the same batch. A failed
 * mutation changed nothing, so running it again on a retry is the same as its arriving later:
 * its reply need not be remembered, and bad input leaves the state exactly as it was. Deterministic: given the same
 * store and entry, every peer writes the same bytes. Called from the one apply thread only.
 */
public final class MetaApplier {
    private static final Logger log = LoggerFactory.getLogger(MetaApplier.class);

    /** How long a reply is kept for retries: longer than any client's retry window. */
    public static final Duration DEDUP_RETENTION = Duration.ofMinutes(10);
    /** At most this many remembered replies; the oldest go first. */
    public static final long DEDUP_MAX_ENTRIES = 200_000;

    private final MetaStore store;
    private final String id;

    public MetaApplier(MetaStore store, String id) {
        this.store = store;
        this.id = id;
    }

    /** Applies one log entry at (term, index) and commits it; entries at or below the stored index are skipped. */
    public LogReply apply(LogEntry entry, long term, long index) throws CairnException {
        AppliedIndex applied = Records.applied(store);
        if (index <= applied.getIndex()) {
            return LogReply.getDefaultInstance();  // replayed after a restart: already in the store
        }
        List<MetaReply> replies = new ArrayList<>(entry.getMutationsCount());
        try (Txn t = store.begin()) {
            for (LoggedMutation m : entry.getMutationsList()) {
                replies.add(applyOnce(t, entry.getTimeNs(), m));
            }
            expireDedup(t, entry.getTimeNs());
            Records.putApplied(t, AppliedIndex.newBuilder().setTerm(term).setIndex(index).build());
            store.commit(t);
        }
        return LogReply.newBuilder().addAllReplies(replies).build();
    }

    private MetaReply applyOnce(Txn t, long nowNs, LoggedMutation m) {
        byte[] dedupKey = m.getClientId().isEmpty() ? null : MetaSchema.dedupKey(m.getClientId().toByteArray(), m.getCallId());
        if (dedupKey != null) {
            DedupRecord seen = Records.parse(t.get(Table.DEDUP, dedupKey), DedupRecord.parser());
            if (seen != null) {
                return seen.getReply();
            }
        }
        MetaReply reply;
        t.setSavePoint();
        try {
            reply = dispatch(t, new ApplyContext(nowNs, m.getCred(), m.getClientId()), m.getMutation());
            t.releaseSavePoint();
        } catch (CairnException e) {
            t.rollbackToSavePoint();
            reply = Replies.meta(e);
        } catch (RuntimeException e) {
            t.rollbackToSavePoint();
            log.error("{} mutation {} failed unexpectedly; nothing of it was applied", id, m.getMutation().getOpCase(), e);
            reply = MetaReply.newBuilder().setCode(ErrorCode.INTERNAL.toProto())
                    .setMessage("internal error applying " + m.getMutation().getOpCase() + ": " + e).build();
        }
        if (dedupKey != null && reply.getCode() == io.cairn.proto.ErrorCode.OK) {
            Counters c = Records.counters(t);
            // Never before where expiry scans start (a new leader's clock may be behind the old one's).
            long at = Math.max(nowNs, c.getDedupExpiredThroughNs());
            t.put(Table.DEDUP, dedupKey, DedupRecord.newBuilder().setReply(reply).setTimeNs(at).build().toByteArray());
            t.put(Table.DEDUP_EXPIRY, MetaSchema.dedupExpiryKey(at, dedupKey), new byte[0]);
            Records.putCounters(t, c.toBuilder().setDedupEntries(c.getDedupEntries() + 1).build());
        }
        return reply;
    }

    static MetaReply dispatch(Txn t, ApplyContext c, MetaMutation m) throws CairnException {
        if (!m.hasBatch()) {  // a batch's changes pass the guard one by one
            io.cairn.meta.namespace.DirLeases.guard(t, c.clientId(),
                    io.cairn.meta.namespace.LeaseTargets.of(t, m));
        }
        MetaReply.Builder r = MetaReply.newBuilder();
        switch (m.getOpCase()) {
            case CREATE -> {
                InodeAttr attr = EntryOps.create(t, c, m.getCreate());
                r.setAttr(attr);
                ChunkOps.firstChunk(t, c, m.getCreate(), attr).ifPresent(r::setCreatedChunk);
            }
            case MKDIR -> r.setAttr(EntryOps.mkdir(t, c, m.getMkdir()));
            case SYMLINK -> r.setAttr(EntryOps.symlink(t, c, m.getSymlink()));
            case LINK -> r.setAttr(EntryOps.link(t, c, m.getLink()));
            case UNLINK -> EntryOps.unlink(t, c, m.getUnlink());
            case RMDIR -> EntryOps.rmdir(t, c, m.getRmdir());
            case RENAME -> r.setRename(RenameOp.rename(t, c, m.getRename()));
            case SET_ATTR -> r.setAttr(AttrOps.setAttr(t, c, m.getSetAttr()));
            case SET_XATTR -> AttrOps.setXattr(t, c, m.getSetXattr());
            case REMOVE_XATTR -> AttrOps.removeXattr(t, c, m.getRemoveXattr());
            case ALLOCATE_CHUNK -> r.setChunk(ChunkOps.allocate(t, c, m.getAllocateChunk()));
            case COMMIT_WRITE -> r.setAttr(ChunkOps.commitWrite(t, c, m.getCommitWrite()));
            case UPDATE_PLACEMENT -> r.setChunk(ChunkOps.updatePlacement(t, c, m.getUpdatePlacement()));
            case ADD_NODE -> r.setNode(PoolOps.addNode(t, m.getAddNode()));
            case REMOVE_NODE -> PoolOps.removeNode(t, m.getRemoveNode());
            case SET_NODE_STATE -> r.setNode(PoolOps.setNodeState(t, m.getSetNodeState()));
            case CREATE_VOLUME -> r.setVolume(VolumeOps.create(t, c.nowNs(), m.getCreateVolume()));
            case SET_VOLUME_STATE -> r.setVolume(VolumeOps.setState(t, m.getSetVolumeState()));
            case DELETE_VOLUME -> VolumeOps.delete(t, m.getDeleteVolume());
            case SET_VOLUME_OPTION -> r.setVolume(VolumeOps.setOption(t, m.getSetVolumeOption()));
            case FORGET_GARBAGE -> io.cairn.meta.repair.GarbageOps.forget(t, m.getForgetGarbage());
            case ADD_BRICKS -> r.setVolume(io.cairn.meta.pool.BrickOps.add(t, m.getAddBricks()));
            case DRAIN_BRICKS -> r.setVolume(io.cairn.meta.pool.BrickOps.drain(t, m.getDrainBricks()));
            case REMOVE_BRICKS -> r.setVolume(io.cairn.meta.pool.BrickOps.remove(t, m.getRemoveBricks()));
            case TRIM_CHUNK -> r.setAttr(ChunkOps.trimChunk(t, c, m.getTrimChunk()));
            case SET_LOCK -> io.cairn.meta.locks.LockOps.set(t, m.getSetLock());
            case RELEASE_LOCKS -> {
                io.cairn.meta.locks.LockOps.release(t, m.getReleaseLocks());
                io.cairn.meta.namespace.InodeReservations.release(t, m.getReleaseLocks().getClientId());
                io.cairn.meta.namespace.DirLeases.releaseAll(t, m.getReleaseLocks().getClientId());
            }
            case ACQUIRE_LEASE -> io.cairn.meta.namespace.DirLeases.acquire(t, c, m.getAcquireLease());
            case RELEASE_LEASE -> io.cairn.meta.namespace.DirLeases.release(t, c, m.getReleaseLease());
            case BATCH -> r.setBatch(BatchOps.apply(t, c, m.getBatch()));
            case RESERVE_INODES -> r.setInodes(io.cairn.meta.namespace.InodeReservations.reserve(t, c, m.getReserveInodes()));
            case OP_NOT_SET -> throw new CairnException(ErrorCode.INVALID_ARGUMENT, "the mutation names no operation");
        }
        return r.build();
    }

    /**
     * Forgets replies older than the retention, and the oldest beyond the size bound. The scan
     * starts where the last one stopped deleting: from the table's start it would step over the
     * deleted rows' tombstones on every entry applied, until a compaction.
     */
    private static void expireDedup(Txn t, long nowNs) {
        Counters c = Records.counters(t);
        long entries = c.getDedupEntries();
        long cutoff = nowNs - DEDUP_RETENTION.toNanos();
        List<byte[]> expired = new ArrayList<>();
        long[] remaining = {entries};
        long through = c.getDedupExpiredThroughNs();
        t.scan(Table.DEDUP_EXPIRY, new byte[0], through > 0 ? MetaSchema.u64(through) : null, (k, v) -> {
            if (MetaSchema.readU64(k, 0) >= cutoff && remaining[0] <= DEDUP_MAX_ENTRIES) {
                return false;
            }
            expired.add(k);
            remaining[0]--;
            return true;
        });
        if (expired.isEmpty()) {
            return;
        }
        for (byte[] k : expired) {
            t.delete(Table.DEDUP_EXPIRY, k);
            t.delete(Table.DEDUP, MetaSchema.dedupKeyOfExpiry(k));
        }
        long lastExpired = MetaSchema.readU64(expired.get(expired.size() - 1), 0);
        Records.putCounters(t, c.toBuilder().setDedupEntries(remaining[0]).setDedupExpiredThroughNs(lastExpired).build());
    }

    /** A client id of the right size for the dedup table. */
    public static boolean validClientId(ByteString clientId) {
        return clientId.isEmpty() || clientId.size() == 16;
    }
}
