package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.common.CairnException;
import io.cairn.common.Errno;
import io.cairn.common.ErrorCode;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.FileLock;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.LockKind;
import io.cairn.proto.LockType;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.StatFsResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.Flock;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;

/**
 * The FUSE callbacks of a mounted volume, on libfuse's low-level API: each request names inodes,
 * which go to {@link CairnFs} as they are (the kernel's root, inode 1, is the volume's root), with
 * the calling process's credentials; {@link Errnos} turns failures into errno replies. Called on
 * libfuse's threads, concurrently; each callback replies exactly once.
 *
 * <p>The kernel keeps attributes and names for as long as the client's cache still trusts what
 * it answered (the rest of the cache TTL), so another client's change shows within the TTL and
 * this client's own changes, which pass through the kernel, show at once. An open re-checks the
 * name it was found by at the meta service, so it follows another client's rename or
 * replacement at once, and drops the kernel's copy of the attributes, so the size and times the
 * open read fresh are what the reader sees (close-to-open).
 */
public final class CairnFuse {
    private static final LowLevel FUSE = FuseSession.LIB;
    private static final long NO_ID = 0xFFFFFFFFL;
    private static final long UNKNOWN_INO = 0xFFFFFFFFL;
    private static final int SET_MODE = 1;
    private static final int SET_UID = 1 << 1;
    private static final int SET_GID = 1 << 2;
    private static final int SET_SIZE = 1 << 3;
    private static final int SET_ATIME = 1 << 4;
    private static final int SET_MTIME = 1 << 5;
    private static final int SET_ATIME_NOW = 1 << 7;
    private static final int SET_MTIME_NOW = 1 << 8;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int R_OK = 4;
    private static final int ENTRY_PARAM_SIZE = 176;  // ino, generation, struct stat (144), two doubles
    private static final int STAT_IN_ENTRY = 16;

    private final CairnFs fs;
    private final long root;
    private final LowLevel.Ops ops = new LowLevel.Ops(FuseSession.RUNTIME);
    private final FuseCredentials creds = new FuseCredentials();
    /** The name each inode was last found by: an open checks it is still that inode. */
    private final Map<Long, Name> foundAs = new ConcurrentHashMap<>();
    private final Map<Long, List<Dirent>> listings = new ConcurrentHashMap<>();
    private final AtomicLong nextListing = new AtomicLong(1);
    private final ThreadLocal<Pointer> entryBuffer =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(FuseSession.RUNTIME, ENTRY_PARAM_SIZE, true));
    private final ThreadLocal<Pointer[]> replyBuffer = ThreadLocal.withInitial(() -> new Pointer[1]);
    /** The kernel session once mounted: until then the kernel is told to keep nothing. */
    private volatile FuseSession session;

    private record Name(long parent, String name) {
    }

    private record Dirent(byte[] name, long ino, int type) {
    }

    public CairnFuse(CairnFs fs) {
        this.fs = fs;
        this.root = fs.root();
        ops.lookup.set((req, parent, name) -> serve(req, "lookup", parent, c -> {
            String n = string(name);
            InodeAttr a = fs.lookup(c, inode(parent), n);
            foundAs.put(a.getInode(), new Name(inode(parent), n));
            replyEntry(req, inode(parent), n, a);
        }));
        ops.forget.set((req, ino, nlookup) -> {
            foundAs.remove(inode(ino));  // the kernel has no name for it any more: an open needs a new lookup
            FUSE.fuse_reply_none(req);
        });
        ops.getattr.set((req, ino, fi) -> serve(req, "getattr", ino, c -> replyAttr(req, fs.getattr(c, inode(ino)))));
        ops.setattr.set(this::setattr);
        ops.readlink.set((req, ino) -> serve(req, "readlink", ino,
                c -> FUSE.fuse_reply_readlink(req, cString(fs.readlink(c, inode(ino)).getBytes(StandardCharsets.UTF_8)))));
        ops.mknod.set((req, parent, name, mode, rdev) -> serve(req, "mknod", parent,
                c -> created(req, parent, name, n -> fs.mknod(c, inode(parent), n, mode, rdev))));
        ops.mkdir.set((req, parent, name, mode) -> serve(req, "mkdir", parent,
                c -> created(req, parent, name, n -> fs.mkdir(c, inode(parent), n, mode))));
        ops.symlink.set((req, target, parent, name) -> serve(req, "symlink", parent,
                c -> created(req, parent, name, n -> fs.symlink(c, inode(parent), n, string(target)))));
        ops.link.set((req, ino, newParent, newName) -> serve(req, "link", ino,
                c -> created(req, newParent, newName, n -> fs.link(c, inode(ino), inode(newParent), n))));
        ops.unlink.set((req, parent, name) -> serve(req, "unlink", parent, c -> {
            fs.unlink(c, inode(parent), string(name));
            ok(req);
        }));
        ops.rmdir.set((req, parent, name) -> serve(req, "rmdir", parent, c -> {
            fs.rmdir(c, inode(parent), string(name));
            ok(req);
        }));
        ops.rename.set((req, parent, name, newParent, newName) -> serve(req, "rename", parent, c -> {
            fs.rename(c, inode(parent), string(name), inode(newParent), string(newName), 0);
            ok(req);
        }));
        ops.open.set((req, ino, fi) -> serve(req, "open", ino, c -> {
            long inode = inode(ino);
            FuseFileInfo f = FuseFileInfo.of(fi);
            Name found = foundAs.get(inode);
            long handle;
            try {
                handle = found == null ? fs.open(c, inode, f.flags.get())
                        : fs.openFound(c, found.parent(), found.name(), inode, f.flags.get());
            } catch (CairnException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
                handle = -1;  // removed since it was looked up (replaced by a rename, say)
            }
            if (handle == -1) {
                foundAs.remove(inode, found);
                FUSE.fuse_reply_err(req, Errno.ESTALE);  // the kernel looks the name up again and retries
                return;
            }
            f.fh.set(handle);
            forgetKernelAttrs(ino);
            FUSE.fuse_reply_open(req, fi);
        }));
        ops.create.set((req, parent, name, mode, fi) -> serve(req, "create", parent, c -> {
            FuseFileInfo f = FuseFileInfo.of(fi);
            String n = string(name);
            long handle = fs.create(c, inode(parent), n, mode, f.flags.get());
            f.fh.set(handle);
            InodeAttr a = fs.getattr(c, fs.inodeOf(handle));
            foundAs.put(a.getInode(), new Name(inode(parent), n));
            FUSE.fuse_reply_create(req, entry(inode(parent), n, a), fi);
        }));
        ops.read.set((req, ino, size, offset, fi) -> serve(req, "read", ino, c -> {
            byte[] data = new byte[(int) size];
            int n = fs.read(handle(fi), offset, data, (int) size);
            Pointer out = replyBuffer(n);
            out.put(0, data, 0, n);
            FUSE.fuse_reply_buf(req, out, n);
        }));
        ops.write.set((req, ino, buf, size, offset, fi) -> serve(req, "write", ino, c -> {
            byte[] data = new byte[(int) size];
            buf.get(0, data, 0, (int) size);
            fs.write(handle(fi), offset, data, 0, (int) size);
            FUSE.fuse_reply_write(req, size);
        }));
        ops.flush.set((req, ino, fi) -> serve(req, "flush", ino, c -> {
            // Every close() flushes. The kernel keeps no record of remote POSIX locks, so the
            // closing process's locks on the file go here, as POSIX asks (even if the commit fails).
            long h = handle(fi);
            try {
                fs.flush(h);
            } finally {
                fs.lock(h, unlockAll(LockKind.LOCK_POSIX, FuseFileInfo.of(fi).lock_owner.get()), false, () -> false);
            }
            ok(req);
        }));
        ops.fsync.set((req, ino, dataSync, fi) -> serve(req, "fsync", ino, c -> {
            fs.fsync(handle(fi));
            ok(req);
        }));
        ops.release.set((req, ino, fi) -> serve(req, "release", ino, c -> {
            long h = handle(fi);
            // The last close of an open file: a flock it took goes with it. The owner is the
            // handle (see flock), so this needs no flock_release flag from the kernel.
            try {
                fs.lock(h, unlockAll(LockKind.LOCK_FLOCK, h), false, () -> false);
            } finally {
                fs.release(h);
            }
            ok(req);
        }));
        ops.fallocate.set((req, ino, mode, offset, length, fi) -> serve(req, "fallocate", ino, c -> {
            fs.fallocate(handle(fi), mode, offset, length);
            ok(req);
        }));
        ops.opendir.set((req, ino, fi) -> serve(req, "opendir", ino, c -> {
            fs.access(c, inode(ino), R_OK);
            FuseFileInfo.of(fi).fh.set(nextListing.getAndIncrement());
            FUSE.fuse_reply_open(req, fi);
        }));
        ops.readdir.set(this::readdir);
        ops.releasedir.set((req, ino, fi) -> {
            listings.remove(handle(fi));
            ok(req);
        });
        ops.fsyncdir.set((req, ino, dataSync, fi) -> serve(req, "fsyncdir", ino, c -> {
            fs.syncNamespace();  // changes made ahead of the meta group are applied
            ok(req);
        }));
        ops.statfs.set((req, ino) -> serve(req, "statfs", ino, c -> statfs(req, fs.statfs(c))));
        ops.setxattr.set((req, ino, name, value, size, flags) -> serve(req, "setxattr", ino, c -> {
            byte[] v = new byte[(int) size];
            value.get(0, v, 0, v.length);
            fs.setxattr(c, inode(ino), string(name), v, flags);
            ok(req);
        }));
        ops.getxattr.set((req, ino, name, size) -> serve(req, "getxattr", ino,
                c -> replyXattr(req, fs.getxattr(c, inode(ino), string(name)), size)));
        ops.listxattr.set((req, ino, size) -> serve(req, "listxattr", ino, c -> {
            StringBuilder names = new StringBuilder();
            for (String n : fs.listxattr(c, inode(ino))) {
                names.append(n).append('\0');
            }
            replyXattr(req, names.toString().getBytes(StandardCharsets.UTF_8), size);
        }));
        ops.removexattr.set((req, ino, name) -> serve(req, "removexattr", ino, c -> {
            fs.removexattr(c, inode(ino), string(name));
            ok(req);
        }));
        ops.access.set((req, ino, mask) -> serve(req, "access", ino, c -> {
            fs.access(c, inode(ino), mask);
            ok(req);
        }));
        ops.getlk.set(this::getlk);
        ops.setlk.set((req, ino, fi, lock, sleep) -> serve(req, "setlk", ino, c -> {
            fs.lock(handle(fi), posixLock(fi, Flock.of(lock)), sleep != 0, () -> FUSE.fuse_req_interrupted(req) != 0);
            ok(req);
        }));
        ops.flock.set((req, ino, fi, op) -> serve(req, "flock", ino, c -> {
            LockType type = (op & LOCK_EX) != 0 ? LockType.LOCK_WRITE
                    : (op & LOCK_SH) != 0 ? LockType.LOCK_READ : LockType.LOCK_UNLOCK;
            // The owner is the open file's handle, not the kernel's lock owner: that is the address of
            // the kernel's struct file, reused by the next open while this one's RELEASE (which
            // drops the flock) may still be on its way, so the old release would drop the new lock.
            long h = handle(fi);
            FileLock want = FileLock.newBuilder().setKind(LockKind.LOCK_FLOCK).setOwner(h).setType(type)
                    .setStart(0).setEnd(-1L).setPid(context(req).getInt(8)).build();
            fs.lock(h, want, (op & LOCK_NB) == 0, () -> FUSE.fuse_req_interrupted(req) != 0);
            ok(req);
        }));
    }

    /** The callbacks, for a {@link FuseSession}; they must stay reachable while mounted. */
    LowLevel.Ops ops() {
        return ops;
    }

    /** The mounted session's channel: from now on the kernel may cache what it is answered. */
    void attach(FuseSession mounted) {
        this.session = mounted;
        fs.onNamesChanged((dir, names) -> invalidations.execute(() -> mounted.forgetNames(kernelIno(dir), names)));
    }

    /**
     * Kernel notifications go from one thread of their own: the kernel takes the directory's lock
     * to drop an entry, and must never wait for a thread that waits for this one.
     */
    private final java.util.concurrent.ExecutorService invalidations = java.util.concurrent.Executors
            .newSingleThreadExecutor(io.cairn.common.DaemonThreads.named("cairn-fuse-invalidate"));

    /** See {@link FuseSession#forgetAttrs}: an open read the attributes fresh, the kernel's copy may be older. */
    private void forgetKernelAttrs(long ino) {
        FuseSession s = session;
        if (s != null) {
            s.forgetAttrs(ino);
        }
    }

    /** Seconds the kernel may keep an answer that the client's cache trusts for {@code nanos} more. */
    private double kernelTimeout(long nanos) {
        return session == null ? 0.0 : nanos / 1e9;
    }

    interface Body {
        void run(Credentials cred) throws CairnException;
    }

    /** Runs one request with the caller's credentials; the one place failures become errno replies. */
    private void serve(Pointer req, String op, long ino, Body body) {
        try {
            body.run(caller(req));
        } catch (Throwable e) {
            FUSE.fuse_reply_err(req, -Errnos.of(op, "inode " + ino, e));
        }
    }

    private static Pointer context(Pointer req) {
        return FUSE.fuse_req_ctx(req);
    }

    private Credentials caller(Pointer req) {
        Pointer ctx = context(req);
        return creds.of(ctx.getInt(0) & NO_ID, ctx.getInt(4) & NO_ID, ctx.getInt(8));
    }

    /** The volume's inode for the kernel's. */
    private long inode(long ino) {
        return ino == LowLevel.ROOT_ID ? root : ino;
    }

    /** The kernel's inode for the volume's (inode 1 is always the first volume's root, never a file of another). */
    private long kernelIno(long inode) {
        return inode == root ? LowLevel.ROOT_ID : inode;
    }

    private static long handle(Pointer fi) {
        return FuseFileInfo.of(fi).fh.get();
    }

    /**
     * A name (or symlink target, or xattr name) from the kernel. Names are UTF-8 in the meta
     * service, so bytes that are not UTF-8 are refused (EINVAL, as ext4's strict casefold and
     * a filesystem probe such as stress-ng's expect) rather than decoded with replacement
     * characters, which made distinct names such as 0x80 and 0x81 one file.
     */
    static String string(Pointer p) throws CairnException {
        int n = p.indexOf(0, (byte) 0, 4096);
        if (n < 0) {
            n = 4096;
        }
        byte[] bytes = new byte[n];
        p.get(0, bytes, 0, n);
        return utf8(bytes);
    }

    static String utf8(byte[] bytes) throws CairnException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CairnException(ErrorCode.INVALID_ARGUMENT, "name is not UTF-8: "
                    + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64)));
        }
    }

    private static byte[] cString(byte[] s) {
        byte[] c = new byte[s.length + 1];
        System.arraycopy(s, 0, c, 0, s.length);
        return c;
    }

    private static void ok(Pointer req) {
        FUSE.fuse_reply_err(req, 0);
    }

    interface Maker {
        InodeAttr make(String name) throws CairnException;
    }

    /** A new name in {@code parent}: made, remembered, and its entry replied. */
    private void created(Pointer req, long parent, Pointer name, Maker maker) throws CairnException {
        String n = string(name);
        InodeAttr a = maker.make(n);
        foundAs.put(a.getInode(), new Name(inode(parent), n));
        replyEntry(req, inode(parent), n, a);
    }

    /** The entry for (parent, name) naming {@code a}, kept by the kernel as long as the client trusts it. */
    private Pointer entry(long parent, String name, InodeAttr a) {
        Pointer e = entryBuffer.get();
        e.putLong(0, kernelIno(a.getInode()));
        e.putLong(8, 0);  // generation: inode numbers are never reused
        fill(a, FileStat.of(e.slice(STAT_IN_ENTRY)));
        e.putDouble(160, kernelTimeout(fs.attrFreshNanos(a.getInode())));  // attr_timeout
        e.putDouble(168, kernelTimeout(fs.entryFreshNanos(parent, name)));  // entry_timeout
        return e;
    }

    private void replyEntry(Pointer req, long parent, String name, InodeAttr a) {
        FUSE.fuse_reply_entry(req, entry(parent, name, a));
    }

    private void replyAttr(Pointer req, InodeAttr a) {
        Pointer st = entryBuffer.get().slice(STAT_IN_ENTRY);
        fill(a, FileStat.of(st));
        FUSE.fuse_reply_attr(req, st, kernelTimeout(fs.attrFreshNanos(a.getInode())));
    }

    private void fill(InodeAttr a, FileStat st) {
        st.st_ino.set(kernelIno(a.getInode()));
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
    }

    /** This thread's native buffer for a reply of {@code size} bytes. */
    private Pointer replyBuffer(long size) {
        Pointer[] holder = replyBuffer.get();
        if (holder[0] == null || holder[0].size() < size) {
            holder[0] = Memory.allocateDirect(FuseSession.RUNTIME, (int) Math.max(size, 128 * 1024));
        }
        return holder[0];
    }

    /**
     * setattr as libfuse's high-level API splits it: mode, then owner, then size (through the open
     * file when there is one: its open mode decides), then times. Each is checked on its own.
     */
    private void setattr(Pointer req, long ino, Pointer attr, int toSet, Pointer fi) {
        serve(req, "setattr", ino, c -> {
            long inode = inode(ino);
            FileStat st = FileStat.of(attr);
            if ((toSet & SET_MODE) != 0) {
                fs.setattr(c, SetAttrRequest.newBuilder().setInode(inode).setSetMode(true)
                        .setMode((int) st.st_mode.longValue() & 07777).build());
            }
            if ((toSet & (SET_UID | SET_GID)) != 0) {
                SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setInode(inode);
                long uid = st.st_uid.get();
                long gid = st.st_gid.get();
                if ((toSet & SET_UID) != 0 && uid != NO_ID) {
                    b.setSetUid(true).setUid((int) uid);
                }
                if ((toSet & SET_GID) != 0 && gid != NO_ID) {
                    b.setSetGid(true).setGid((int) gid);
                }
                fs.setattr(c, b.build());
            }
            if ((toSet & SET_SIZE) != 0) {
                long size = st.st_size.longValue();
                if (fi != null) {
                    fs.ftruncate(c, handle(fi), size);
                } else {
                    fs.setattr(c, SetAttrRequest.newBuilder().setInode(inode).setSetSize(true).setSize(size).build());
                }
            }
            if ((toSet & (SET_ATIME | SET_MTIME)) != 0) {
                SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setInode(inode);
                if ((toSet & SET_ATIME) != 0) {
                    b.setSetAtime(true).setAtimeNow((toSet & SET_ATIME_NOW) != 0)
                            .setAtimeNs(st.st_atim.tv_sec.get() * 1_000_000_000L + st.st_atim.tv_nsec.longValue());
                }
                if ((toSet & SET_MTIME) != 0) {
                    b.setSetMtime(true).setMtimeNow((toSet & SET_MTIME_NOW) != 0)
                            .setMtimeNs(st.st_mtim.tv_sec.get() * 1_000_000_000L + st.st_mtim.tv_nsec.longValue());
                }
                fs.setattr(c, b.build());
            }
            replyAttr(req, fs.getattr(c, inode));
        });
    }

    /**
     * A directory read from {@code offset} (0: from the start, listed afresh; entry i's next
     * offset is i + 1), as many entries as fit in {@code size} bytes.
     */
    private void readdir(Pointer req, long ino, long size, long offset, Pointer fi) {
        serve(req, "readdir", ino, c -> {
            long id = handle(fi);
            List<Dirent> list = listings.get(id);
            if (offset == 0 || list == null) {
                list = listing(c, ino);
                listings.put(id, list);
            }
            Pointer out = replyBuffer(size);
            Pointer st = entryBuffer.get().slice(STAT_IN_ENTRY);
            long used = 0;
            for (int i = (int) offset; i < list.size(); i++) {
                Dirent d = list.get(i);
                st.putLong(8, d.ino());  // st_ino
                st.putInt(24, d.type());  // st_mode: only the type bits matter here
                long need = FUSE.fuse_add_direntry(req, out.slice(used), size - used, d.name(), st, i + 1);
                if (need > size - used) {
                    break;
                }
                used += need;
            }
            FUSE.fuse_reply_buf(req, out, used);
        });
    }

    private List<Dirent> listing(Credentials c, long ino) throws CairnException {
        List<DirEntry> entries = fs.readdir(c, inode(ino));
        List<Dirent> list = new ArrayList<>(entries.size() + 2);
        list.add(new Dirent(cString(new byte[] {'.'}), ino, 0040000));
        list.add(new Dirent(cString(new byte[] {'.', '.'}), ino == LowLevel.ROOT_ID ? ino : UNKNOWN_INO, 0040000));
        for (DirEntry e : entries) {
            list.add(new Dirent(cString(e.getName().getBytes(StandardCharsets.UTF_8)), kernelIno(e.getInode()), e.getType()));
        }
        return list;
    }

    private void statfs(Pointer req, StatFsResult s) {
        Pointer mem = Memory.allocateDirect(FuseSession.RUNTIME, 128, true);
        Statvfs st = Statvfs.of(mem);
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
        FUSE.fuse_reply_statfs(req, mem);
    }

    /** getxattr/listxattr: size 0 asks for the length; a buffer too small is ERANGE. */
    private void replyXattr(Pointer req, byte[] data, long size) throws CairnException {
        if (size == 0) {
            FUSE.fuse_reply_xattr(req, data.length);
            return;
        }
        if (size < data.length) {
            throw new CairnException(ErrorCode.ATTRIBUTE_RANGE, "buffer of " + size + " bytes, need " + data.length);
        }
        Pointer out = replyBuffer(data.length);
        out.put(0, data, 0, data.length);
        FUSE.fuse_reply_buf(req, out, data.length);
    }

    /**
     * fcntl record locks (F_GETLK here, F_SETLK/F_SETLKW in setlk), held across every client of
     * the volume; a close() drops the process's locks in flush.
     */
    private void getlk(Pointer req, long ino, Pointer fi, Pointer lock) {
        serve(req, "getlk", ino, c -> {
            Flock flock = Flock.of(lock);
            var held = fs.conflictingLock(handle(fi), posixLock(fi, flock));
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
            FUSE.fuse_reply_lock(req, lock);
        });
    }

    private static FileLock posixLock(Pointer fi, Flock flock) throws CairnException {
        long start = flock.l_start.get();
        long len = flock.l_len.get();
        return FileLock.newBuilder().setKind(LockKind.LOCK_POSIX).setOwner(FuseFileInfo.of(fi).lock_owner.get())
                .setType(lockType(flock.l_type.get())).setStart(start).setEnd(len == 0 ? -1L : start + len - 1)
                .setPid((int) flock.l_pid.get()).build();  // the kernel's: the process, not the calling thread
    }

    /** An unlock of everything {@code owner} holds on the file. */
    private static FileLock unlockAll(LockKind kind, long owner) {
        return FileLock.newBuilder().setKind(kind).setType(LockType.LOCK_UNLOCK).setOwner(owner).setStart(0).setEnd(-1L).build();
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
}
