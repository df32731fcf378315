package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.fuse.kernel.Fuse;
import io.cairn.fuse.kernel.FuseReply;
import io.cairn.fuse.kernel.FuseRequest;
import io.cairn.proto.FileLock;
import io.cairn.proto.LockKind;
import io.cairn.proto.LockType;

/**
 * fcntl record locks and flocks, held across every client of the volume. The kernel sends both
 * as GETLK/SETLK/SETLKW with struct fuse_lk_in: fh, owner at 8, the lock (start, end inclusive
 * with OFFSET_MAX for "to the end", type, pid) at 16, lk_flags at 40 (FUSE_LK_FLOCK for a flock).
 * A SETLKW waits until the lock is free or the caller is interrupted.
 */
final class FuseLocks {
    private static final long OFFSET_MAX = Long.MAX_VALUE;

    private final CairnFs fs;

    FuseLocks(CairnFs fs) {
        this.fs = fs;
    }

    /** F_GETLK: the first lock that conflicts, or F_UNLCK. */
    void getlk(FuseRequest req, FuseReply reply) throws CairnException {
        var held = fs.conflictingLock(req.i64(0), posixLock(req));
        if (held.isEmpty()) {
            reply.lock(0, 0, Fuse.F_UNLCK, 0);
            return;
        }
        FileLock h = held.get();
        reply.lock(h.getStart(), h.getEnd() == -1L ? OFFSET_MAX : h.getEnd(),
                h.getType() == LockType.LOCK_WRITE ? Fuse.F_WRLCK : Fuse.F_RDLCK, h.getPid());
    }

    /** F_SETLK(W), or flock(2) when lk_flags says so. */
    void setlk(FuseRequest req, FuseReply reply) throws CairnException {
        boolean wait = req.opcode() == Fuse.SETLKW;
        long h = req.i64(0);
        FileLock want;
        if ((req.i32(40) & Fuse.LK_FLOCK) != 0) {
            // The owner is the open file's handle, not the kernel's lock owner: that is the address of
            // the kernel's struct file, reused by the next open while this one's RELEASE (which
            // drops the flock) may still be on its way, so the old release would drop the new lock.
            want = FileLock.newBuilder().setKind(LockKind.LOCK_FLOCK).setOwner(h).setType(lockType(req.i32(32)))
                    .setStart(0).setEnd(-1L).setPid(req.pid()).build();
        } else {
            want = posixLock(req);
        }
        fs.lock(h, want, wait, req::interrupted);
        reply.ok();
    }

    private static FileLock posixLock(FuseRequest req) throws CairnException {
        long end = req.i64(24);
        return FileLock.newBuilder().setKind(LockKind.LOCK_POSIX).setOwner(req.i64(8)).setType(lockType(req.i32(32)))
                .setStart(req.i64(16)).setEnd(end == OFFSET_MAX ? -1L : end)
                .setPid(req.i32(36)).build();  // the kernel's: the process, not the calling thread
    }

    /** An unlock of everything {@code owner} holds on the file. */
    static FileLock unlockAll(LockKind kind, long owner) {
        return FileLock.newBuilder().setKind(kind).setType(LockType.LOCK_UNLOCK).setOwner(owner).setStart(0).setEnd(-1L).build();
    }

    private static LockType lockType(int fcntlType) throws CairnException {
        return switch (fcntlType) {
            case Fuse.F_RDLCK -> LockType.LOCK_READ;
            case Fuse.F_WRLCK -> LockType.LOCK_WRITE;
            case Fuse.F_UNLCK -> LockType.LOCK_UNLOCK;
            default -> throw new CairnException(ErrorCode.INVALID_ARGUMENT, "unknown lock type " + fcntlType);
        };
    }
}
