package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.common.CairnException;
import io.cairn.common.DaemonThreads;
import io.cairn.common.ErrorCode;
import io.cairn.fuse.kernel.Fuse;
import io.cairn.fuse.kernel.FuseHandler;
import io.cairn.fuse.kernel.FuseReply;
import io.cairn.fuse.kernel.FuseRequest;
import io.cairn.fuse.kernel.FuseSession;
import io.cairn.proto.Credentials;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.SetAttrRequest;
import io.cairn.proto.StatFsResult;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A mounted volume's answers to the kernel's FUSE requests: each names nodes, which go to
 * {@link CairnFs} as inodes ({@link FuseNodes}), with the calling process's credentials;
 * {@link Errnos} turns failures into errno replies. Names, attributes, links and extended
 * attributes are answered here, open files and directory listings by {@link FuseFiles}, locks by
 * {@link FuseLocks}. Called on the session's workers, concurrently; each request is answered once.
 *
 * <p>The kernel keeps attributes and names for as long as the client's cache still trusts what
 * it answered (the rest of the cache TTL), so another client's change shows within the TTL and
 * this client's own changes, which pass through the kernel, show at once. An open re-checks the
 * name it was found by at the meta service, so it follows another client's rename or
 * replacement at once, and drops the kernel's copy of the attributes, so the size and times the
 * open read fresh are what the reader sees (close-to-open).
 */
public final class CairnFuse implements FuseHandler {
    private static final long NO_ID = 0xFFFFFFFFL;

    private final CairnFs fs;
    private final FuseNodes nodes;
    private final FuseFiles files;
    private final FuseLocks locks;
    private final FuseCredentials creds = new FuseCredentials();
    /**
     * Kernel notifications go from one thread of their own: the kernel takes the directory's lock
     * to drop an entry, and must never wait for a thread that waits for this one.
     */
    private final ExecutorService invalidations = Executors.newSingleThreadExecutor(DaemonThreads.named("cairn-fuse-invalidate"));

    public CairnFuse(CairnFs fs) {
        this.fs = fs;
        this.nodes = new FuseNodes(fs);
        this.files = new FuseFiles(nodes);
        this.locks = new FuseLocks(fs);
    }

    /** The mounted session: from now on the kernel may cache what it is answered, and is told what changes. */
    void attach(FuseSession mounted) {
        nodes.attach(mounted);
        fs.onNamesChanged((dir, names) -> invalidations.execute(() -> forgetNames(mounted, nodes.nodeid(dir), names)));
    }

    /** Drops the kernel's entries (found or not) of {@code names} in directory {@code nodeid}, then its listing and attributes. */
    private static void forgetNames(FuseSession s, long nodeid, Collection<String> names) {
        for (String name : names) {
            if (!s.notifyInvalEntry(nodeid, name.getBytes(StandardCharsets.UTF_8))) {
                return;  // unmounted
            }
        }
        s.notifyInvalInode(nodeid, 0, 0);
    }

    @Override
    public void forget(long nodeid, long nlookup) {
        nodes.forget(nodes.inode(nodeid));  // the kernel has no name for it any more: an open needs a new lookup
    }

    @Override
    public void handle(FuseRequest req, FuseReply reply) {
        try {
            switch (req.opcode()) {
                case Fuse.READ -> files.read(req, reply);
                case Fuse.WRITE -> {
                    if ((req.i32(20) & Fuse.WRITE_KILL_SUIDGID) != 0) {
                        dropPrivileges(caller(req), nodes.inode(req.nodeid()));
                    }
                    files.write(req, reply);
                }
                case Fuse.FLUSH -> files.flush(req, reply);
                case Fuse.RELEASE -> files.release(req, reply);
                case Fuse.FSYNC -> files.fsync(req, reply);
                case Fuse.FALLOCATE -> files.fallocate(req, reply);
                case Fuse.LSEEK -> files.lseek(req, reply);
                case Fuse.COPY_FILE_RANGE -> files.copyFileRange(req, reply);
                case Fuse.OPEN -> files.open(caller(req), req, reply);
                case Fuse.CREATE -> files.create(caller(req), req, reply);
                case Fuse.OPENDIR -> files.opendir(caller(req), req, reply);
                case Fuse.READDIR -> files.readdir(caller(req), req, reply);
                case Fuse.RELEASEDIR -> files.releasedir(req, reply);
                case Fuse.FSYNCDIR -> files.fsyncdir(reply);
                case Fuse.GETLK -> locks.getlk(req, reply);
                case Fuse.SETLK, Fuse.SETLKW -> locks.setlk(req, reply);
                default -> handleNode(req, reply, caller(req));
            }
        } catch (Throwable e) {
            if (!reply.sent()) {
                reply.err(-Errnos.of(OpNames.of(req.opcode()), "inode " + req.nodeid(), e));
            }
        }
    }

    /**
     * A write by a process that may not keep setuid/setgid (the kernel says so once the file
     * system handles it, HANDLE_KILLPRIV_V2) drops them now, as Linux does: setuid always,
     * setgid where it means "run as the group". The meta service drops them too when the write
     * is committed, and on truncate and chown, which the kernel no longer turns into a chmod.
     */
    private void dropPrivileges(Credentials c, long inode) throws CairnException {
        int mode = fs.getattr(c, inode).getMode() & 07777;
        int kept = mode & ~04000;
        if ((mode & 02010) == 02010) {
            kept &= ~02000;
        }
        if (kept != mode) {
            fs.setattr(c, SetAttrRequest.newBuilder().setInode(inode).setSetMode(true).setMode(kept).build());
        }
    }

    /** The calling process's uid, gid and groups. */
    private Credentials caller(FuseRequest req) {
        return creds.of(req.uid(), req.gid(), req.pid());
    }

    private void handleNode(FuseRequest req, FuseReply reply, Credentials c) throws CairnException {
        long parent = nodes.inode(req.nodeid());
        switch (req.opcode()) {
            case Fuse.LOOKUP -> {
                String n = name(req, 0);
                nodes.replyEntry(reply, parent, n, fs.lookup(c, parent, n));
            }
            case Fuse.GETATTR -> nodes.replyAttr(reply, fs.getattr(c, parent));
            case Fuse.SETATTR -> nodes.replyAttr(reply, setattr(c, req));
            case Fuse.READLINK -> {
                byte[] target = fs.readlink(c, parent).getBytes(StandardCharsets.UTF_8);
                reply.bytes(target, 0, target.length);
            }
            case Fuse.SYMLINK -> {
                String n = name(req, 0);
                String target = name(req, req.cstringEnd(0));
                nodes.replyEntry(reply, parent, n, fs.symlink(c, parent, n, target));
            }
            case Fuse.MKNOD -> {
                String n = name(req, 16);
                nodes.replyEntry(reply, parent, n, fs.mknod(c, parent, n, req.i32(0), req.i32(4) & NO_ID));
            }
            case Fuse.MKDIR -> {
                String n = name(req, 8);
                nodes.replyEntry(reply, parent, n, fs.mkdir(c, parent, n, req.i32(0)));
            }
            case Fuse.LINK -> {
                String n = name(req, 8);
                nodes.replyEntry(reply, parent, n, fs.link(c, nodes.inode(req.i64(0)), parent, n));
            }
            case Fuse.UNLINK -> {
                fs.unlink(c, parent, name(req, 0));
                reply.ok();
            }
            case Fuse.RMDIR -> {
                fs.rmdir(c, parent, name(req, 0));
                reply.ok();
            }
            case Fuse.RENAME -> rename(c, req, reply, parent, 8, 0);
            case Fuse.RENAME2 -> rename(c, req, reply, parent, 16, req.i32(8));
            case Fuse.STATFS -> statfs(reply, fs.statfs(c));
            case Fuse.SETXATTR -> {
                int size = req.i32(0);
                int valueAt = req.cstringEnd(8);
                fs.setxattr(c, parent, name(req, 8), req.bytes(valueAt, size), req.i32(4));
                reply.ok();
            }
            case Fuse.GETXATTR -> replyXattr(reply, fs.getxattr(c, parent, name(req, 8)), req.i32(0));
            case Fuse.LISTXATTR -> {
                StringBuilder names = new StringBuilder();
                for (String n : fs.listxattr(c, parent)) {
                    names.append(n).append('\0');
                }
                replyXattr(reply, names.toString().getBytes(StandardCharsets.UTF_8), req.i32(0));
            }
            case Fuse.REMOVEXATTR -> {
                fs.removexattr(c, parent, name(req, 0));
                reply.ok();
            }
            case Fuse.ACCESS -> {
                fs.access(c, parent, req.i32(0));
                reply.ok();
            }
            default -> reply.err(Fuse.ENOSYS);
        }
    }

    /** A name from the request's arguments at {@code offset}; see {@link FuseNodes#utf8}. */
    static String name(FuseRequest req, int offset) throws CairnException {
        return FuseNodes.utf8(req.cstring(offset));
    }

    private void rename(Credentials c, FuseRequest req, FuseReply reply, long parent, int namesAt, int flags) throws CairnException {
        String name = name(req, namesAt);
        String newName = name(req, req.cstringEnd(namesAt));
        fs.rename(c, parent, name, nodes.inode(req.i64(0)), newName, flags);
        reply.ok();
    }

    /**
     * setattr split as libfuse's high-level API splits it: mode, then owner, then size (through the
     * open file when the kernel names one: its open mode decides), then times. Each is checked on
     * its own. struct fuse_setattr_in: valid, fh at 8, size at 16, atime/mtime seconds at 32/40
     * and nanoseconds at 56/60, mode at 68, uid at 76, gid at 80.
     */
    private InodeAttr setattr(Credentials c, FuseRequest req) throws CairnException {
        long inode = nodes.inode(req.nodeid());
        int valid = req.i32(0);
        if ((valid & Fuse.FATTR_MODE) != 0) {
            fs.setattr(c, SetAttrRequest.newBuilder().setInode(inode).setSetMode(true).setMode(req.i32(68) & 07777).build());
        }
        if ((valid & (Fuse.FATTR_UID | Fuse.FATTR_GID)) != 0) {
            SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setInode(inode);
            long uid = req.i32(76) & NO_ID;
            long gid = req.i32(80) & NO_ID;
            if ((valid & Fuse.FATTR_UID) != 0 && uid != NO_ID) {
                b.setSetUid(true).setUid((int) uid);
            }
            if ((valid & Fuse.FATTR_GID) != 0 && gid != NO_ID) {
                b.setSetGid(true).setGid((int) gid);
            }
            fs.setattr(c, b.build());
        }
        if ((valid & Fuse.FATTR_SIZE) != 0) {
            long size = req.i64(16);
            if ((valid & Fuse.FATTR_FH) != 0) {
                fs.ftruncate(c, req.i64(8), size);
            } else {
                fs.setattr(c, SetAttrRequest.newBuilder().setInode(inode).setSetSize(true).setSize(size).build());
            }
        }
        if ((valid & (Fuse.FATTR_ATIME | Fuse.FATTR_MTIME)) != 0) {
            SetAttrRequest.Builder b = SetAttrRequest.newBuilder().setInode(inode);
            if ((valid & Fuse.FATTR_ATIME) != 0) {
                b.setSetAtime(true).setAtimeNow((valid & Fuse.FATTR_ATIME_NOW) != 0)
                        .setAtimeNs(req.i64(32) * 1_000_000_000L + (req.i32(56) & NO_ID));
            }
            if ((valid & Fuse.FATTR_MTIME) != 0) {
                b.setSetMtime(true).setMtimeNow((valid & Fuse.FATTR_MTIME_NOW) != 0)
                        .setMtimeNs(req.i64(40) * 1_000_000_000L + (req.i32(60) & NO_ID));
            }
            fs.setattr(c, b.build());
        }
        return fs.getattr(c, inode);
    }

    private static void statfs(FuseReply reply, StatFsResult s) {
        int bsize = s.getBlockSize() == 0 ? 4096 : (int) s.getBlockSize();
        reply.statfs(s.getTotalBytes() / bsize, s.getFreeBytes() / bsize, s.getFreeBytes() / bsize,
                s.getFiles() + s.getFilesFree(), s.getFilesFree(), bsize, s.getNameMax() == 0 ? 255 : s.getNameMax());
    }

    /** getxattr/listxattr: size 0 asks for the length; a buffer too small is ERANGE. */
    private static void replyXattr(FuseReply reply, byte[] data, int size) throws CairnException {
        if (size == 0) {
            reply.xattrSize(data.length);
            return;
        }
        if (size < data.length) {
            throw new CairnException(ErrorCode.ATTRIBUTE_RANGE, "buffer of " + size + " bytes, need " + data.length);
        }
        reply.bytes(data, 0, data.length);
    }
}
