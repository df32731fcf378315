package io.cairn.meta.locks;

import com.google.protobuf.ByteString;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.meta.namespace.Inodes;
import io.cairn.meta.store.MetaSchema;
import io.cairn.meta.store.MetaSchema.Table;
import io.cairn.meta.store.ReadView;
import io.cairn.meta.store.Records;
import io.cairn.meta.store.Txn;
import io.cairn.proto.FileLock;
import io.cairn.proto.GetLockRequest;
import io.cairn.proto.LockKind;
import io.cairn.proto.LockType;
import io.cairn.proto.ReleaseLocksRequest;
import io.cairn.proto.SetLockRequest;
import io.cairn.proto.state.LockSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The locks table: every advisory lock of an inode in one record, changed by the rules of
 * {@link LockTable}. Locks live in the replicated state, so they survive a leader change; a
 * client's locks go when the client releases them, when the file is destroyed, or when the
 * leader ends the client's lease ({@link ClientLeases}).
 */
public final class LockOps {
    private LockOps() {
    }

    /** Takes, changes or releases a lock; LOCKED, changing nothing, if another holder's lock conflicts. */
    public static void set(Txn t, SetLockRequest r) throws CairnException {
        FileLock want = valid(r.getLock(), true);
        Inodes.startedVolume(t, r.getVolumeId());
        Inodes.get(t, r.getVolumeId(), r.getInode());
        List<FileLock> held = held(t, r.getInode());
        refuseConflict(held, want);
        put(t, r.getInode(), LockTable.apply(held, want));
    }

    /**
     * On the leader, before proposing: LOCKED at once if the committed state already has a
     * conflicting lock, so a waiting client's repeated asks do not fill the log. Whatever an
     * unlock whose reply its caller has seen released is already committed, so this never
     * refuses a lock that is free.
     */
    public static void precheck(ReadView v, SetLockRequest r) throws CairnException {
        refuseConflict(held(v, r.getInode()), valid(r.getLock(), true));
    }

    private static void refuseConflict(List<FileLock> held, FileLock want) throws CairnException {
        if (want.getType() == LockType.LOCK_UNLOCK) {
            return;
        }
        Optional<FileLock> c = LockTable.conflict(held, want);
        if (c.isPresent()) {
            throw new CairnException(ErrorCode.LOCKED, describe(c.get()) + " conflicts with the "
                    + (want.getType() == LockType.LOCK_WRITE ? "write" : "read") + " lock asked for");
        }
    }

    /** F_GETLK: the first conflicting lock of another holder, if any. */
    public static Optional<FileLock> get(ReadView v, GetLockRequest r) throws CairnException {
        FileLock want = valid(r.getLock(), false);
        Inodes.get(v, r.getVolumeId(), r.getInode());
        return LockTable.conflict(held(v, r.getInode()), want);
    }

    /** Drops every lock of the client, on every inode. */
    public static void release(Txn t, ReleaseLocksRequest r) throws CairnException {
        if (r.getClientId().size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a lock's client id must be 16 bytes");
        }
        java.util.Map<Long, List<FileLock>> changed = new java.util.LinkedHashMap<>();
        t.scan(Table.LOCKS, new byte[0], null, (k, val) -> {
            List<FileLock> held = Records.parse(val, LockSet.parser()).getLocksList();
            List<FileLock> left = LockTable.withoutClient(held, r.getClientId());
            if (left.size() != held.size()) {
                changed.put(MetaSchema.readU64(k, 0), left);
            }
            return true;
        });
        changed.forEach((inode, left) -> put(t, inode, left));
    }

    /** Every client that holds a lock anywhere. */
    public static Set<ByteString> holders(ReadView v) {
        Set<ByteString> out = new LinkedHashSet<>();
        v.scan(Table.LOCKS, new byte[0], null, (k, val) -> {
            for (FileLock l : Records.parse(val, LockSet.parser()).getLocksList()) {
                out.add(l.getClientId());
            }
            return true;
        });
        return out;
    }

    static List<FileLock> held(ReadView v, long inode) {
        LockSet s = Records.parse(v.get(Table.LOCKS, MetaSchema.u64(inode)), LockSet.parser());
        return s == null ? List.of() : s.getLocksList();
    }

    private static void put(Txn t, long inode, List<FileLock> locks) {
        if (locks.isEmpty()) {
            t.delete(Table.LOCKS, MetaSchema.u64(inode));
        } else {
            t.put(Table.LOCKS, MetaSchema.u64(inode), LockSet.newBuilder().addAllLocks(locks).build().toByteArray());
        }
    }

    private static FileLock valid(FileLock l, boolean unlockAllowed) throws CairnException {
        if (l.getClientId().size() != 16) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "a lock's client id must be 16 bytes");
        }
        if (l.getKind() == LockKind.UNRECOGNIZED || l.getType() == LockType.UNRECOGNIZED
                || (!unlockAllowed && l.getType() == LockType.LOCK_UNLOCK)) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "unknown lock kind or type: " + l.getKind() + " " + l.getType());
        }
        if (Long.compareUnsigned(l.getStart(), l.getEnd()) > 0) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT,
                    "a lock's range must not end (" + Long.toUnsignedString(l.getEnd()) + ") before it starts ("
                            + Long.toUnsignedString(l.getStart()) + ")");
        }
        if (l.getKind() == LockKind.LOCK_FLOCK) {
            return l.toBuilder().setStart(0).setEnd(LockTable.TO_EOF).build();
        }
        return l;
    }

    private static String describe(FileLock l) {
        String range = l.getKind() == LockKind.LOCK_FLOCK ? "the whole file"
                : "bytes " + Long.toUnsignedString(l.getStart()) + "-"
                        + (l.getEnd() == LockTable.TO_EOF ? "EOF" : Long.toUnsignedString(l.getEnd()));
        return "a " + (l.getType() == LockType.LOCK_WRITE ? "write" : "read") + " lock on " + range
                + " held by pid " + l.getPid() + " of another client or process";
    }
}
