package io.cairn.fuse;

import io.cairn.client.fs.CairnFs;
import io.cairn.common.CairnException;
import io.cairn.common.Errno;
import io.cairn.common.ErrorCode;
import io.cairn.fuse.kernel.Fuse;
import io.cairn.fuse.kernel.FuseReply;
import io.cairn.fuse.kernel.FuseRequest;
import io.cairn.fuse.kernel.FuseSession;
import io.cairn.proto.Credentials;
import io.cairn.proto.DirEntry;
import io.cairn.proto.InodeAttr;
import io.cairn.proto.LockKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open files and directory listings of a mount: open and create give the client library's
 * handle to the kernel, which names it in every later request on the file (struct fuse_*_in's
 * fh, the first field); reads and writes go through a byte array per worker; a listing is
 * taken whole when read from offset 0 and served in pieces from it.
 */
final class FuseFiles {
    private static final int R_OK = 4;
    private static final long UNKNOWN_INO = 0xFFFFFFFFL;

    private final FuseNodes nodes;
    private final CairnFs fs;
    private final Map<Long, List<Dirent>> listings = new ConcurrentHashMap<>();
    private final AtomicLong nextListing = new AtomicLong(1);
    private final ThreadLocal<byte[]> data = ThreadLocal.withInitial(() -> new byte[128 * 1024]);

    private record Dirent(byte[] name, long ino, int type) {
    }

    FuseFiles(FuseNodes nodes) {
        this.nodes = nodes;
        this.fs = nodes.fs();
    }

    /**
     * OPEN: by the name the node was found by when there is one, so another client's rename or
     * replacement since is seen (ESTALE makes the kernel look the name up again and retry); the
     * kernel's attributes are dropped, so what the open read fresh is what the reader sees.
     */
    void open(Credentials c, FuseRequest req, FuseReply reply) throws CairnException {
        long inode = nodes.inode(req.nodeid());
        int flags = req.i32(0);
        FuseNodes.Name found = nodes.foundAs(inode);
        long handle;
        try {
            handle = found == null ? fs.open(c, inode, flags) : fs.openFound(c, found.parent(), found.name(), inode, flags);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            handle = -1;  // removed since it was looked up (replaced by a rename, say)
        }
        if (handle == -1) {
            nodes.lost(inode, found);
            reply.err(Errno.ESTALE);
            return;
        }
        FuseSession s = nodes.session();
        if (s != null) {
            s.notifyInvalInode(req.nodeid(), -1, 0);  // a negative offset: attributes only
        }
        reply.open(handle, 0);
    }

    /** CREATE: struct fuse_create_in (flags, mode, umask, open_flags), then the name. */
    void create(Credentials c, FuseRequest req, FuseReply reply) throws CairnException {
        long parent = nodes.inode(req.nodeid());
        String name = CairnFuse.name(req, 16);
        long handle = fs.create(c, parent, name, req.i32(4), req.i32(0));
        InodeAttr a = fs.getattr(c, fs.inodeOf(handle));
        nodes.found(a.getInode(), parent, name);
        reply.create(nodes.nodeid(a.getInode()), nodes.attr(a), nodes.entryNanos(parent, name), nodes.attrNanos(a.getInode()),
                handle, 0);
    }

    /** READ: struct fuse_read_in (fh, offset, size). */
    void read(FuseRequest req, FuseReply reply) throws CairnException {
        int size = req.i32(16);
        byte[] buf = buffer(size);
        int n = fs.read(req.i64(0), req.i64(8), buf, size);
        reply.bytes(buf, 0, n);
    }

    /** WRITE: struct fuse_write_in (fh, offset, size, ...; 40 bytes), then the data. */
    void write(FuseRequest req, FuseReply reply) throws CairnException {
        int size = req.i32(16);
        byte[] buf = buffer(size);
        req.copy(40, buf, size);
        fs.write(req.i64(0), req.i64(8), buf, 0, size);
        reply.written(size);
    }

    /**
     * FLUSH, at every close(): commits what the file holds. The kernel keeps no record of remote
     * POSIX locks, so the closing process's locks on the file go here, as POSIX asks (even if
     * the commit fails). struct fuse_flush_in: fh, then the lock owner at 16.
     */
    void flush(FuseRequest req, FuseReply reply) throws CairnException {
        long h = req.i64(0);
        try {
            fs.flush(h);
        } finally {
            fs.lock(h, FuseLocks.unlockAll(LockKind.LOCK_POSIX, req.i64(16)), false, () -> false);
        }
        reply.ok();
    }

    /** RELEASE, the last close of an open file: a flock it took goes with it (its owner is the handle, see FuseLocks). */
    void release(FuseRequest req, FuseReply reply) throws CairnException {
        long h = req.i64(0);
        try {
            fs.lock(h, FuseLocks.unlockAll(LockKind.LOCK_FLOCK, h), false, () -> false);
        } finally {
            fs.release(h);
        }
        reply.ok();
    }

    /** FSYNC: struct fuse_fsync_in (fh, fsync_flags); bit 0 of the flags asks for fdatasync. */
    void fsync(FuseRequest req, FuseReply reply) throws CairnException {
        if ((req.i32(8) & Fuse.FSYNC_FDATASYNC) != 0) {
            fs.fdatasync(req.i64(0));
        } else {
            fs.fsync(req.i64(0));
        }
        reply.ok();
    }

    /** FALLOCATE: struct fuse_fallocate_in (fh, offset, length, mode). */
    void fallocate(FuseRequest req, FuseReply reply) throws CairnException {
        fs.fallocate(req.i64(0), req.i32(24), req.i64(8), req.i64(16));
        reply.ok();
    }

    /**
     * COPY_FILE_RANGE: struct fuse_copy_file_range_in (fh_in, off_in, nodeid_out, fh_out, off_out,
     * len, flags); the answer is a fuse_write_out with the bytes copied.
     */
    void copyFileRange(FuseRequest req, FuseReply reply) throws CairnException {
        if (req.i64(48) != 0) {
            reply.err(io.cairn.common.Errno.EINVAL);
            return;
        }
        long n = fs.copyFileRange(req.i64(0), req.i64(8), req.i64(24), req.i64(32), Math.min(req.i64(40), 1L << 30));
        reply.written((int) n);
    }

    /** LSEEK (only SEEK_DATA and SEEK_HOLE reach here): struct fuse_lseek_in (fh, offset, whence). */
    void lseek(FuseRequest req, FuseReply reply) throws CairnException {
        int whence = req.i32(16);
        if (whence != Fuse.SEEK_DATA && whence != Fuse.SEEK_HOLE) {
            reply.err(io.cairn.common.Errno.EINVAL);
            return;
        }
        reply.offset(fs.seekDataOrHole(req.i64(0), req.i64(8), whence == Fuse.SEEK_DATA));
    }

    void opendir(Credentials c, FuseRequest req, FuseReply reply) throws CairnException {
        fs.access(c, nodes.inode(req.nodeid()), R_OK);
        reply.open(nextListing.getAndIncrement(), 0);
    }

    /**
     * READDIR from {@code offset} (0: from the start, listed afresh; entry i's next offset is
     * i + 1), as many entries as fit in the size asked.
     */
    void readdir(Credentials c, FuseRequest req, FuseReply reply) throws CairnException {
        long id = req.i64(0);
        long offset = req.i64(8);
        List<Dirent> list = listings.get(id);
        if (offset == 0 || list == null) {
            list = listing(c, req.nodeid());
            listings.put(id, list);
        }
        FuseReply.Dirents out = reply.dirents(req.i32(16));
        for (int i = (int) offset; i < list.size(); i++) {
            Dirent d = list.get(i);
            if (!out.add(d.ino(), i + 1, d.type(), d.name())) {
                break;
            }
        }
        out.send();
    }

    void releasedir(FuseRequest req, FuseReply reply) {
        listings.remove(req.i64(0));
        reply.ok();
    }

    void fsyncdir(FuseReply reply) throws CairnException {
        fs.syncNamespace();  // changes made ahead of the meta group are applied
        reply.ok();
    }

    private List<Dirent> listing(Credentials c, long nodeid) throws CairnException {
        List<DirEntry> entries = fs.readdir(c, nodes.inode(nodeid));
        List<Dirent> list = new ArrayList<>(entries.size() + 2);
        list.add(new Dirent(new byte[] {'.'}, nodeid, 0040000));
        list.add(new Dirent(new byte[] {'.', '.'}, nodeid == io.cairn.fuse.kernel.Fuse.ROOT_ID ? nodeid : UNKNOWN_INO, 0040000));
        for (DirEntry e : entries) {
            list.add(new Dirent(e.getName().getBytes(StandardCharsets.UTF_8), nodes.nodeid(e.getInode()), e.getType()));
        }
        return list;
    }

    /** This worker's byte array, at least {@code size} long. */
    private byte[] buffer(int size) {
        byte[] b = data.get();
        if (b.length < size) {
            b = new byte[size];
            data.set(b);
        }
        return b;
    }
}
