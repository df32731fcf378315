package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.client.fs.PathResolver;
import io.cairn.common.CairnException;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.FileLock;
import io.cairn.proto.LockKind;
import io.cairn.proto.LockType;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.StatFsResult;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Flock;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The FUSE callbacks of a mounted volume: each resolves its path and hands the call to
 * {@link CairnFs} with the calling process's credentials; {@link Errnos} turns failures into
 * errno values. Called on libfuse's threads, concurrently.
 */
public final class CairnFuse extends FuseStubFS {
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final long NO_ID = 0xFFFFFFFFL;
    private static final int F_GETLK = 5;
    private static final int F_SETLKW = 7;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final Interrupts INTERRUPTS = Interrupts.load();

    private final CairnFs fs;
    private final PathResolver paths;
    private final FuseCredentials creds = new FuseCredentials();

    public CairnFuse(CairnFs fs) {
        this.fs = fs;
        this.paths = new PathResolver(fs);
        // libfuse 2 passes UTIME_NOW and UTIME_OMIT to utimens only when the file system says it
        // understands them (flag_utime_omit_ok, the third bit of the flags word); otherwise it
        // silently drops a change of one time alone (touch -m, touch -a).
        Pointer ops = jnr.ffi.Struct.getMemory(fuseOperations);
        long flags = flagsOffset(fuseOperations.flag_nullpath_ok);
        ops.putInt(flags, ops.getInt(flags) | 0b100);
    }

    /** Where the flags word of struct fuse_operations lies (jnr keeps Member.offset() package-private). */
    private static long flagsOffset(Object flagsMember) {
        try {
            java.lang.reflect.Method offset = Class.forName("jnr.ffi.Struct$Member").getDeclaredMethod("offset");
            offset.setAccessible(true);
            return (long) offset.invoke(flagsMember);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this jnr-ffi version hides the fuse_operations layout", e);
        }
    }

    interface Op {
        int run(Credentials cred) throws CairnException;
    }

    /** Runs one callback with the caller's credentials; the one place failures become errnos. */
    private int call(String op, String path, Op body) {
        try {
            return body.run(caller());
        } catch (Throwable e) {
            return Errnos.of(op, path, e);
        }
    }

    private Credentials caller() {
        FuseContext c = getContext();
        return creds.of(c.uid.get(), c.gid.get(), c.pid.get());
    }

    @Override
    public int getattr(String path, FileStat stat) {
        return call("getattr", path, c -> fill(paths.resolve(c, path), stat));
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return call("fgetattr", path, c -> fill(fs.getattr(c, fs.inodeOf(fi.fh.get())), stat));
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return call("readdir", path, c -> {
            long dir = paths.inode(c, path);
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            for (DirEntry e : fs.readdir(c, dir)) {
                if (filler.apply(buf, e.getName(), null, 0) != 0) {
                    break;
                }
            }
            return 0;
        });
    }

    @Override
    public int mkdir(String path, long mode) {
        return call("mkdir", path, c -> on(paths.parent(c, path), p -> fs.mkdir(c, p.inode(), p.name(), (int) mode)));
    }

    @Override
    public int mknod(String path, long mode, long rdev) {
        return call("mknod", path, c -> on(paths.parent(c, path), p -> fs.mknod(c, p.inode(), p.name(), (int) mode, rdev)));
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return call("create", path, c -> on(paths.parent(c, path),
                p -> fi.fh.set(fs.create(c, p.inode(), p.name(), (int) mode, fi.flags.get()))));
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call("open", path, c -> {
            fi.fh.set(fs.open(c, paths.resolveFresh(c, path).getInode(), fi.flags.get()));
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call("read", path, c -> {
            byte[] data = new byte[(int) size];
            int n = fs.read(fi.fh.get(), offset, data, (int) size);
            buf.put(0, data, 0, n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call("write", path, c -> {
            byte[] data = new byte[(int) size];
            buf.get(0, data, 0, (int) size);
            fs.write(fi.fh.get(), offset, data, 0, (int) size);
            return (int) size;
        });
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return call("flush", path, c -> run(() -> fs.flush(fi.fh.get())));
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return call("fsync", path, c -> run(() -> fs.fsync(fi.fh.get())));
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call("release", path, c -> run(() -> {
            // The last close of an open file that took a flock: the kernel asks for the flock to
            // go with it (flock_release and its owner), and libfuse 2 leaves that to release.
            try {
                fs.lock(fi.fh.get(), FileLock.newBuilder().setKind(LockKind.LOCK_FLOCK).setType(LockType.LOCK_UNLOCK)
                        .setOwner(fi.fh.get()).setStart(0).setEnd(-1L).build(), false, () -> false);
            } finally {
                fs.release(fi.fh.get());
            }
        }));
    }

    @Override
    public int truncate(String path, long size) {
        return call("truncate", path, c -> set(c, SetAttrRequest.newBuilder().setInode(paths.inode(c, path))
                .setSetSize(true).setSize(size)));
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        // libfuse 2 hands setattr a file info with only the handle (flags are 0): the handle
        // knows its open mode.
        return call("ftruncate", path, c -> run(() -> fs.ftruncate(c, fi.fh.get(), size)));
    }

    @Override
    public int fallocate(String path, int mode, long off, long length, FuseFileInfo fi) {
        return call("fallocate", path, c -> run(() -> fs.fallocate(fi.fh.get(), mode, off, length)));
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, c -> on(paths.parent(c, path), p -> fs.unlink(c, p.inode(), p.name())));
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, c -> on(paths.parent(c, path), p -> fs.rmdir(c, p.inode(), p.name())));
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return call("rename", oldpath, c -> {
            PathResolver.Parent from = paths.parent(c, oldpath);
            PathResolver.Parent to = paths.parent(c, newpath);
            fs.rename(c, from.inode(), from.name(), to.inode(), to.name(), 0);
            return 0;
        });
    }

    @Override
    public int link(String oldpath, String newpath) {
        return call("link", newpath, c -> {
            long inode = paths.inode(c, oldpath);
            return on(paths.parent(c, newpath), p -> fs.link(c, inode, p.inode(), p.name()));
        });
    }

    @Override
    public int symlink(String target, String linkpath) {
        return call("symlink", linkpath, c -> on(paths.parent(c, linkpath), p -> fs.symlink(c, p.inode(), p.name(), target)));
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        return call("readlink", path, c -> {
            byte[] target = fs.readlink(c, paths.inode(c, path)).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    @Override
    public int chmod(String path, long mode) {
        return call("chmod", path, c -> set(c, SetAttrRequest.newBuilder().setInode(paths.inode(c, path))
                .setSetMode(true).setMode((int) mode & 07777)));
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return call("chown", path, c -> {
            SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setInode(paths.inode(c, path));
            if (uid != -1 && uid != NO_ID) {
                b.setSetUid(true).setUid((int) uid);
            }
            if (gid != -1 && gid != NO_ID) {
                b.setSetGid(true).setGid((int) gid);
            }
            return set(c, b);
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return call("utimens", path, c -> {
            // jnr-fuse builds the second Timespec of the array at a wrong address: read both
            // struct timespec {time_t; long} (16 bytes each on 64-bit Linux) from the array's start.
            Pointer p = jnr.ffi.Struct.getMemory(timespec[0]);
            long aSec = p.getLong(0);
            long aNs = p.getLong(8);
            long mSec = p.getLong(16);
            long mNs = p.getLong(24);
            SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setInode(paths.inode(c, path));
            if (aNs != UTIME_OMIT) {
                b.setSetAtime(true).setAtimeNow(aNs == UTIME_NOW).setAtimeNs(aSec * 1_000_000_000L + aNs);
            }
            if (mNs != UTIME_OMIT) {
                b.setSetMtime(true).setMtimeNow(mNs == UTIME_NOW).setMtimeNs(mSec * 1_000_000_000L + mNs);
            }
            return set(c, b);
        });
    }

    @Override
    public int access(String path, int mask) {
        return call("access", path, c -> run(() -> fs.access(c, paths.inode(c, path), mask)));
    }

    @Override
    public int statfs(String path, Statvfs st) {
        return call("statfs", path, c -> {
            StatFsResult s = fs.statfs(c);
            long bsize = s.getBlockSize() == 0 ? 4096 : s.getBlockSize();
            st.f_bsize.set(bsize);
            st.f_frsize.set(bsize);
            st.f_blocks.set(s.getTotalBytes() / bsize);
            st.f_bfree.set(s.getFreeBytes() / bsize);
            st.f_bavail.set(s.getFreeBytes() / bsize);
            st.f_files.set(s.getFiles() + s.getFilesFree());
            st.f_ffree.set(s.getFilesFree());
            st.f_favail.set(s.getFilesFree());
            st.f_namemax.set(s.getNameMax() == 0 ? 255 : s.getNameMax());
            return 0;
        });
    }

    @Override
    public int setxattr(String path, String name, Pointer value, long size, int flags) {
        return call("setxattr", path, c -> {
            byte[] v = new byte[(int) size];
            value.get(0, v, 0, v.length);
            fs.setxattr(c, paths.inode(c, path), name, v, flags);
            return 0;
        });
    }

    @Override
    public int getxattr(String path, String name, Pointer value, long size) {
        return call("getxattr", path, c -> copyOut(fs.getxattr(c, paths.inode(c, path), name), value, size));
    }

    @Override
    public int listxattr(String path, Pointer list, long size) {
        return call("listxattr", path, c -> {
            StringBuilder names = new StringBuilder();
            for (String n : fs.listxattr(c, paths.inode(c, path))) {
                names.append(n).append('\0');
            }
            return copyOut(names.toString().getBytes(StandardCharsets.UTF_8), list, size);
        });
    }

    @Override
    public int removexattr(String path, String name) {
        return call("removexattr", path, c -> run(() -> fs.removexattr(c, paths.inode(c, path), name)));
    }

    @Override
    public int opendir(String path, FuseFileInfo fi) {
        return call("opendir", path, c -> run(() -> fs.access(c, paths.inode(c, path), 4)));
    }

    @Override
    public int releasedir(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        return 0;  // every namespace change is committed to the Raft log before it returns
    }

    /** getxattr/listxattr: size 0 asks for the length; a buffer too small is ERANGE. */
    private static int copyOut(byte[] data, Pointer to, long size) throws CairnException {
        if (size == 0) {
            return data.length;
        }
        if (size < data.length) {
            throw new CairnException(ErrorCode.ATTRIBUTE_RANGE, "buffer of " + size + " bytes, need " + data.length);
        }
        to.put(0, data, 0, data.length);
        return data.length;
    }

    private int set(Credentials c, SetAttrRequest.Builder b) throws CairnException {
        fs.setattr(c, b.build());
        return 0;
    }

    interface ParentOp {
        void run(PathResolver.Parent p) throws CairnException;
    }

    private static int on(PathResolver.Parent p, ParentOp op) throws CairnException {
        op.run(p);
        return 0;
    }

    interface Action {
        void run() throws CairnException;
    }

    private static int run(Action a) throws CairnException {
        a.run();
        return 0;
    }

    static int fill(InodeAttr a, FileStat st) {
        st.st_ino.set(a.getInode());
        st.st_mode.set(a.getMode());
        st.st_nlink.set(a.getNlink());
        st.st_uid.set(a.getUid());
        st.st_gid.set(a.getGid());
        st.st_size.set(a.getSize());
        st.st_rdev.set(a.getRdev());
        st.st_blksize.set(65536);
        st.st_blocks.set(a.getBlocks() != 0 ? a.getBlocks() : (a.getSize() + 511) / 512);
        st.st_atim.tv_sec.set(Math.floorDiv(a.getAtimeNs(), 1_000_000_000L));
        st.st_atim.tv_nsec.set(Math.floorMod(a.getAtimeNs(), 1_000_000_000L));
        st.st_mtim.tv_sec.set(Math.floorDiv(a.getMtimeNs(), 1_000_000_000L));
        st.st_mtim.tv_nsec.set(Math.floorMod(a.getMtimeNs(), 1_000_000_000L));
        st.st_ctim.tv_sec.set(Math.floorDiv(a.getCtimeNs(), 1_000_000_000L));
        st.st_ctim.tv_nsec.set(Math.floorMod(a.getCtimeNs(), 1_000_000_000L));
        return 0;
    }

    /**
     * fcntl record locks (F_GETLK, F_SETLK, F_SETLKW), held across every client of the volume.
     * libfuse also calls this with F_UNLCK over the whole file on every close(), dropping the
     * closing process's locks as POSIX asks.
     */
    @Override
    public int lock(String path, FuseFileInfo fi, int cmd, Flock flock) {
        return call("lock", path, c -> {
            long start = flock.l_start.get();
            long len = flock.l_len.get();
            FileLock want = FileLock.newBuilder().setKind(LockKind.LOCK_POSIX).setOwner(fi.lock_owner.get())
                    .setType(lockType(flock.l_type.get())).setStart(start).setEnd(len == 0 ? -1L : start + len - 1)
                    .setPid((int) getContext().pid.get()).build();
            if (cmd != F_GETLK) {
                fs.lock(fi.fh.get(), want, cmd == F_SETLKW, INTERRUPTS::interrupted);
                return 0;
            }
            var held = fs.conflictingLock(fi.fh.get(), want);
            if (held.isEmpty()) {
                flock.l_type.set(Flock.F_UNLCK);
            } else {
                FileLock h = held.get();
                flock.l_type.set(h.getType() == LockType.LOCK_WRITE ? Flock.F_WRLCK : Flock.F_RDLCK);
                flock.l_whence.set(0);
                flock.l_start.set(h.getStart());
                flock.l_len.set(h.getEnd() == -1L ? 0 : h.getEnd() - h.getStart() + 1);
                flock.l_pid.set(h.getPid());
            }
            return 0;
        });
    }

    /** flock(2), held across every client of the volume; released by the last close of the open file. */
    @Override
    public int flock(String path, FuseFileInfo fi, int op) {
        return call("flock", path, c -> {
            LockType type = (op & LOCK_EX) != 0 ? LockType.LOCK_WRITE
                    : (op & LOCK_SH) != 0 ? LockType.LOCK_READ : LockType.LOCK_UNLOCK;
            // The owner is the open file's handle, not the kernel's lock owner: that is the address of
            // the kernel's struct file, reused by the next open while this one's RELEASE (which
            // drops the flock) may still be on its way, so the old release would drop the new lock.
            FileLock want = FileLock.newBuilder().setKind(LockKind.LOCK_FLOCK).setOwner(fi.fh.get())
                    .setType(type).setStart(0).setEnd(-1L).setPid((int) getContext().pid.get()).build();
            fs.lock(fi.fh.get(), want, (op & LOCK_NB) == 0, INTERRUPTS::interrupted);
            return 0;
        });
    }

    private static LockType lockType(int fcntlType) throws CairnException {
        if (fcntlType == Flock.F_RDLCK) {
            return LockType.LOCK_READ;
        }
        if (fcntlType == Flock.F_WRLCK) {
            return LockType.LOCK_WRITE;
        }
        if (fcntlType == Flock.F_UNLCK) {
            return LockType.LOCK_UNLOCK;
        }
        throw new CairnException(ErrorCode.INVALID_ARGUMENT, "unknown lock type " + fcntlType);
    }

    /**
     * libfuse's fuse_interrupted(): whether the kernel asked to interrupt the request this thread
     * is serving (the waiting process got a signal), so a lock that waits can give up with EINTR.
     */
    public interface Interrupts {
        int fuse_interrupted();

        default boolean interrupted() {
            return fuse_interrupted() != 0;
        }

        static Interrupts load() {
            try {
                return jnr.ffi.LibraryLoader.create(Interrupts.class).failImmediately().load("libfuse.so.2");
            } catch (Throwable e) {
                return () -> 0;
            }
        }
    }
}
